"""The framework agreement's life: draft → negotiated in Partnerskabsforum → approved by
the City Council and by the housing organisations (each recorded separately) → in force
when both are recorded → expired or replaced. Adjustments are numbered versions of the
consolidated text. Each step out of order is refused and changes nothing."""

# The services by topic, one module each; every name stays importable from here.
from agreements.services._common import (  # noqa: F401
    NOTIFIED_FORUMS,
)
from agreements.services.agreement import (  # noqa: F401
    PERIOD_YEARS,
    _after_approval,
    _check_approvable,
    _check_no_overlap,
    _check_period,
    _check_prepared_at,
    _enter_into_force,
    _freeze_version,
    _is_renewal,
    _lock,
    _notify_forums,
    _overlapping_in_force,
    _queue_pdf,
    agreement_adjust,
    agreement_mark_negotiated,
    agreement_record_br_approval,
    agreement_record_housing_approval,
    agreement_save,
    agreement_snapshot,
    agreement_version_render,
    four_year_end,
    theme_save,
)
from agreements.services.subs import (  # noqa: F401
    _has_step,
    initiative_decide,
    initiative_propose,
    initiative_save,
    sub_agreement_save,
)
from agreements.services.sweep import (  # noqa: F401
    _suggest_preparation_item,
    expire_agreements,
    remind_renewal,
    remind_sub_agreement_expiry,
    versions_catch_up,
)
from meetings.models import Meeting  # noqa: F401
