"""The framework agreement's life: draft → negotiated in Partnerskabsforum → approved by
the City Council and by the housing organisations (each recorded separately) → in force
when both are recorded → expired or replaced. Adjustments are numbered versions of the
consolidated text. Each step out of order is refused and changes nothing."""

NOTIFIED_FORUMS = ("partnerskabsforum", "borgmesterforum")
