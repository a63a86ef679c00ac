"""The annual steering dialogue ("styringsdialog", issue 10 §2).

Partnerskabsforum discusses in which areas joint steering-dialogue meetings are needed;
Samarbejdsforum coordinates the year's round. Per year one `DialogueRound`: the areas
chosen (each with the Partnerskabsforum meeting that chose it), per area the housing
organisations and estates involved, the dialogue meetings (date, participants, documents,
agreed follow-ups) and the issues raised there, which can become proposals to Den
Tværkommunale Styregruppe's agenda. This app sits above forums and meetings: it imports
them, never the reverse.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forums.models import Organisation, Person
from minutes.models import ActionStatus


class RoundStatus(models.TextChoices):
    """The year's round, in order; a round moves one step forward at a time."""

    PLANNING = "planning", _("Planning")
    AREAS_CHOSEN = "areas_chosen", _("Areas chosen")
    MEETINGS_HELD = "meetings_held", _("Meetings held")
    CLOSED = "closed", _("Closed")


class DialogueRound(models.Model):
    """The steering dialogue of one calendar year."""

    Status = RoundStatus

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.PLANNING
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("steering dialogue round")
        verbose_name_plural = _("steering dialogue rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="dialogue_round_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2010, year__lte=2100), name="dialogue_round_year_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Steering dialogue %(year)s") % {"year": self.year})


class Estate(models.Model):
    """A housing estate ("afdeling") of a housing organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="estates",
        verbose_name=_("housing organisation"),
        limit_choices_to={"kind": "housing_organisation"},
    )
    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(_("estate number"), max_length=20, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("estate")
        verbose_name_plural = _("estates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="estate_name_unique_in_organisation",
                violation_error_message=_("The organisation already has an estate by this name."),
            )
        ]

    def __str__(self) -> str:
        label = f"{self.name} ({self.number})" if self.number else self.name
        return f"{label}, {self.organisation}"


class DialogueArea(models.Model):
    """An area or neighbourhood chosen for the year's dialogue, by a Partnerskabsforum
    meeting (dialogue.services.area_add refuses a meeting of another forum)."""

    round = models.ForeignKey(
        DialogueRound, on_delete=models.CASCADE, related_name="areas", verbose_name=_("round")
    )
    name = models.CharField(_("area"), max_length=200)
    chosen_at = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="dialogue_areas",
        verbose_name=_("chosen at the Partnerskabsforum meeting"),
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="dialogue_areas",
        verbose_name=_("housing organisations"),
    )
    estates = models.ManyToManyField(
        Estate, blank=True, related_name="dialogue_areas", verbose_name=_("estates")
    )

    class Meta:
        ordering = ["round", "name"]
        verbose_name = _("dialogue area")
        verbose_name_plural = _("dialogue areas")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "name"],
                name="dialogue_area_unique_in_round",
                violation_error_message=_("This area is already chosen for the year."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DialogueMeeting(models.Model):
    """A steering-dialogue meeting in one area."""

    area = models.ForeignKey(
        DialogueArea, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("area")
    )
    held_on = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        Person, blank=True, related_name="dialogue_meetings", verbose_name=_("participants")
    )
    other_participants = models.TextField(
        _("other participants"), blank=True, help_text=_("Names of participants not registered.")
    )
    documents = models.TextField(
        _("documents"),
        blank=True,
        help_text=_("One document per line: title and journal number or address."),
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")

    def __str__(self) -> str:
        return f"{self.area} {self.held_on:%d.%m.%Y}"

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]


class DialogueFollowUp(models.Model):
    """A follow-up agreed in a dialogue meeting: what, who (an administration or a housing
    organisation: the agreements bind both sides), by when, and its status. Its own model,
    not minutes.FollowUpAction, which belongs to a minutes item and is frozen with it."""

    Status = ActionStatus  # the same statuses as the minutes' follow-up actions

    meeting = models.ForeignKey(
        DialogueMeeting,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("dialogue meeting"),
    )
    what = models.TextField(_("what"))
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible"),
        limit_choices_to={"kind__in": ["administration", "housing_organisation"]},
    )
    due_on = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
        db_index=True,
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("dialogue follow-up")
        verbose_name_plural = _("dialogue follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="dialogue_follow_up_status_valid"
            )
        ]

    def __str__(self) -> str:
        return self.what[:80]


class DialogueIssue(models.Model):
    """An issue raised in a dialogue meeting; raised to Styregruppen it becomes a proposal
    for its agenda (dialogue.services.issue_raise), and `proposal` is the trail back to
    the steering dialogue, its source."""

    meeting = models.ForeignKey(
        DialogueMeeting,
        on_delete=models.CASCADE,
        related_name="issues",
        verbose_name=_("dialogue meeting"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    proposal = models.OneToOneField(
        "meetings.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_issue",
        verbose_name=_("proposal to Den Tværkommunale Styregruppe"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("dialogue issue")
        verbose_name_plural = _("dialogue issues")

    def __str__(self) -> str:
        return self.title
