"""The four forums, the organisations that appoint their members, seats and people.

People change, seats stay: a Membership is one person holding one seat for a dated
period. Replacing a holder ends one membership and starts another, so the history stays.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrganisationKind(models.TextChoices):
    POLITICAL_BODY = "political_body", _("Political body")
    ADMINISTRATION = "administration", _("Administration")
    UNIT = "unit", _("Unit")
    HOUSING_FEDERATION = "housing_federation", _("Housing federation")
    TENANTS_ORGANISATION = "tenants_organisation", _("Tenants' organisation")
    HOUSING_ORGANISATION = "housing_organisation", _("Housing organisation")


class Organisation(models.Model):
    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("part of"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_unique",
                violation_error_message=_("An organisation with this name already exists."),
            ),
            models.UniqueConstraint(
                Lower("short_name"),
                condition=~Q(short_name=""),
                name="organisation_short_name_unique",
                violation_error_message=_("An organisation with this short name already exists."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        others = Organisation.objects.exclude(pk=self.pk)
        errors = {}
        if self.name and others.filter(name__iexact=self.name.strip()).exists():
            errors["name"] = _("An organisation with this name already exists.")
        if self.short_name and others.filter(short_name__iexact=self.short_name.strip()).exists():
            errors["short_name"] = _("An organisation with this short name already exists.")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("An organisation cannot be part of itself.")
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        """The full name with the short name, for lists and forms."""
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class PersonLevel(models.IntegerChoices):
    """A person's level in their organisation, ordered: a seat that asks for »kontorchef or
    higher« takes every value >= HEAD_OF_OFFICE. A mayor heads an administration's office
    politically and stands above its officials."""

    EMPLOYEE = 10, _("employee")
    HEAD_OF_OFFICE = 20, _("head of office")
    DEPUTY_DIRECTOR = 30, _("deputy director")
    DIRECTOR = 40, _("director")
    MAYOR = 50, _("mayor")


class Person(models.Model):
    """Someone who sits in a forum or a theme group; may have an account to sign in."""

    Level = PersonLevel

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=PersonLevel.choices,
        null=True,
        blank=True,
        help_text=_("The person's level in their organisation; some seats require one."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("user account"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="person_email_unique",
                violation_error_message=_("A person with this e-mail address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.email = self.email.strip().lower()
        if (
            self.email
            and Person.objects.exclude(pk=self.pk).filter(email__iexact=self.email).exists()
        ):
            raise ValidationError({"email": _("A person with this e-mail address already exists.")})


class ForumLevel(models.TextChoices):
    POLITICAL = "political", _("Political")
    LEADING_ADMINISTRATIVE = "leading_administrative", _("Leading administrative")
    ADMINISTRATIVE = "administrative", _("Administrative")


class ForumProposers(models.TextChoices):
    SECRETARIAT = (
        "secretariat",
        _(
            "The secretariat sets the agenda from the discussions in Den Tværkommunale "
            "Styregruppe and Samarbejdsforum"
        ),
    )
    ADMINISTRATIONS = (
        "administrations",
        _("Every administration (each coordinates internally first)"),
    )
    MEMBERS = "members", _("Every member")


class Forum(models.Model):
    """A forum and every rule of its terms of reference, as data."""

    Level = ForumLevel

    Proposers = ForumProposers

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"))
    tasks = models.TextField(_("tasks"), help_text=_("One task per line."))
    competence = models.TextField(_("competence"), blank=True)
    level = models.CharField(_("level"), max_length=30, choices=Level.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    meetings_per_year_min = models.PositiveSmallIntegerField(_("meetings a year, at least"))
    meetings_per_year_max = models.PositiveSmallIntegerField(_("meetings a year, at most"))
    meetings_note = models.CharField(_("about the meetings"), max_length=200, blank=True)
    default_place = models.CharField(_("default place"), max_length=200, blank=True)
    notice_months = models.PositiveSmallIntegerField(
        _("notice (months)"),
        null=True,
        blank=True,
        help_text=_("Minimum notice for calling a meeting, in calendar months."),
    )
    required_quarter = models.PositiveSmallIntegerField(
        _("required quarter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    proposal_deadline_days = models.PositiveSmallIntegerField(
        _("proposals close (days before)"),
        null=True,
        blank=True,
        help_text=_("Empty: no separate deadline; proposals close when the agenda is sent."),
    )
    agenda_deadline_days = models.PositiveSmallIntegerField(_("agenda due (days before)"))
    minutes_deadline_days = models.PositiveSmallIntegerField(_("minutes due (days after)"))
    comment_window_days = models.PositiveSmallIntegerField(_("comment window (days)"))
    agenda_public = models.BooleanField(_("agenda is public"), default=False)
    approved_minutes_public = models.BooleanField(_("approved minutes are public"), default=False)
    proposers = models.CharField(
        _("who may propose agenda items"), max_length=20, choices=Proposers.choices
    )
    proposers_note = models.TextField(_("about agenda proposals"), blank=True)
    item_requires_responsible = models.BooleanField(
        _("each item needs a responsible administration"), default=False
    )
    sets_up_theme_groups = models.BooleanField(_("sets up theme groups"), default=False)
    secretariat = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("secretariat")
    )
    chair_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chaired by"),
    )
    chair_seats = models.ManyToManyField(
        "Seat",
        blank=True,
        related_name="chaired_forums",
        verbose_name=_("chaired by the holders of"),
    )
    chair_note = models.CharField(_("about the chair"), max_length=300, blank=True)
    includes_members_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="included_in",
        verbose_name=_("includes all current members of"),
    )
    includes_note = models.CharField(_("about the included members"), max_length=200, blank=True)
    agenda_set_from = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="feeds_agenda_of",
        verbose_name=_("agenda set from the discussions in"),
    )
    first_meeting = models.DateField(_("first meeting (month)"))
    first_meeting_note = models.CharField(_("first meeting"), max_length=100, blank=True)
    history = HistoricalRecords(excluded_fields=["position"])

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        constraints = [
            models.CheckConstraint(
                condition=Q(meetings_per_year_min__lte=models.F("meetings_per_year_max")),
                name="forum_meetings_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(required_quarter__isnull=True) | Q(required_quarter__range=(1, 4)),
                name="forum_required_quarter_valid",
            ),
            models.CheckConstraint(
                condition=Q(level__in=ForumLevel.values), name="forum_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(proposers__in=ForumProposers.values),
                name="forum_proposers_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.includes_members_of_id and self.includes_members_of_id == self.pk:
            raise ValidationError({"includes_members_of": _("A forum cannot include itself.")})

    @property
    def task_list(self) -> list[str]:
        return [line.strip() for line in self.tasks.splitlines() if line.strip()]


class Seat(models.Model):
    """A place in a forum that an organisation fills with up to `max_holders` people."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="seats", verbose_name=_("forum")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="seats",
        verbose_name=_("appointing organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    max_holders = models.PositiveSmallIntegerField(
        _("holders at most"), default=1, validators=[MinValueValidator(1)]
    )
    max_substitutes = models.PositiveSmallIntegerField(_("substitutes at most"), default=0)
    requirement = models.CharField(_("requirement"), max_length=200, blank=True)
    # What the terms of reference ask of a holder, as data (forums/rules.py enforces it).
    holder_of_organisation = models.BooleanField(
        _("held by a person of the appointing organisation"),
        default=False,
        help_text=_("The holder's organisation is the appointing one or part of it."),
    )
    holder_min_level = models.PositiveSmallIntegerField(
        _("holder's level at least"), choices=PersonLevel.choices, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["forum__position", "position", "id"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["forum", "title"], name="seat_title_unique_in_forum"),
            models.CheckConstraint(
                condition=Q(max_holders__gte=1), name="seat_max_holders_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.forum.name})"


class MembershipQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> "MembershipQuerySet":
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def overlapping(self, starts_on: date, ends_on: date | None) -> "MembershipQuerySet":
        qs = self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        return qs.filter(starts_on__lte=ends_on) if ends_on else qs


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    MEMBER = "member", _("Member")
    SUBSTITUTE = "substitute", _("Substitute")
    SECRETARIAT = "secretariat", _("Secretariat")


class Membership(models.Model):
    """One person in one forum, in one role, from one date to another (both included)."""

    Role = MembershipRole

    HOLDER_ROLES = (MembershipRole.CHAIR, MembershipRole.CO_CHAIR, MembershipRole.MEMBER)

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("forum")
    )
    seat = models.ForeignKey(
        Seat,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("seat"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to and including"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["forum__position", "seat__position", "starts_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["forum", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=(Q(role="secretariat") & Q(seat__isnull=True))
                | (~Q(role="secretariat") & Q(seat__isnull=False)),
                name="membership_seat_matches_role",
                violation_error_message=_("A member holds a seat; the secretariat holds none."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.forum} ({self.get_role_display()})"

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    @property
    def holds_seat(self) -> bool:
        return self.role in self.HOLDER_ROLES

    def clean(self) -> None:
        """The rules a membership must keep; forms and services both call this."""
        from forums.rules import membership_errors

        errors = membership_errors(self)
        if errors:
            raise ValidationError(errors)


class ThemeGroup(models.Model):
    """A theme group ("temagruppe"), set up by a forum and reporting to it."""

    name = models.CharField(_("name"), max_length=200)
    forum = models.ForeignKey(
        Forum,
        on_delete=models.PROTECT,
        related_name="theme_groups",
        verbose_name=_("set up by and reports to"),
        limit_choices_to={"sets_up_theme_groups": True},
    )
    mandate = models.TextField(_("mandate"))
    is_standing = models.BooleanField(_("standing theme group"), default=False)
    set_up_on = models.DateField(_("set up on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    first_report_on = models.DateField(
        _("first report due"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty: the forum has set no report date."),
    )
    report_every_months = models.PositiveSmallIntegerField(
        _("then a report every (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Empty: one report only, on the first date."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["forum__position", "name"]
        verbose_name = _("theme group")
        verbose_name_plural = _("theme groups")
        constraints = [
            models.UniqueConstraint(fields=["forum", "name"], name="theme_group_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("set_up_on")),
                name="theme_group_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(report_every_months__isnull=True) | Q(first_report_on__isnull=False),
                name="theme_group_cadence_has_start",
                violation_error_message=_("A report cadence needs the date of the first report."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.forum_id and not self.forum.sets_up_theme_groups:
            raise ValidationError(
                {
                    "forum": _(
                        "Only Den Tværkommunale Styregruppe and Samarbejdsforum set up theme groups."
                    )
                }
            )
        # A report is due while the group exists: not before it was set up, nor after it ends.
        first = self.first_report_on
        if first and self.set_up_on and first < self.set_up_on:
            raise ValidationError(
                {"first_report_on": _("The first report cannot fall before the group is set up.")}
            )
        if first and self.ends_on and first > self.ends_on:
            raise ValidationError(
                {"first_report_on": _("The first report cannot fall after the group ends.")}
            )

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.set_up_on <= on and (self.ends_on is None or self.ends_on >= on)

    def report_due_dates(self, *, until: date) -> list[date]:
        """The days the forum wants a report on, up to and including `until`: the first
        report's day, then every `report_every_months` calendar months after it (the 31st
        becomes the month's last day), never after the group ends. [] when no date is set."""
        if self.first_report_on is None:
            return []
        last = min(until, self.ends_on) if self.ends_on else until
        if not self.report_every_months:
            return [self.first_report_on] if self.first_report_on <= last else []
        days: list[date] = []
        step = 0
        while (day := add_months(self.first_report_on, step * self.report_every_months)) <= last:
            days.append(day)
            step += 1
        return days


def add_months(day: date, months: int) -> date:
    """`day` moved `months` calendar months on; a day the target month lacks becomes that
    month's last day (31 January + 1 month = 28/29 February)."""
    from calendar import monthrange

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


class ThemeGroupSide(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipality")
    HOUSING = "housing", _("Housing sector")


class ThemeGroupMember(models.Model):
    Side = ThemeGroupSide

    theme_group = models.ForeignKey(ThemeGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="theme_groups", verbose_name=_("person")
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        ordering = ["-is_chair", "side", "person__name"]
        verbose_name = _("theme group member")
        verbose_name_plural = _("theme group members")
        constraints = [
            models.UniqueConstraint(
                fields=["theme_group", "person"], name="theme_group_member_unique"
            ),
            models.CheckConstraint(
                condition=Q(side__in=ThemeGroupSide.values), name="theme_group_member_side_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.theme_group})"


class StandardAgendaItem(models.Model):
    """An item every new agenda of the forum starts with, in this order.

    The secretariat edits the list (forums.services.standard_item_*); an item `required` by
    the terms of reference (Partnerskabsforum's two) cannot be removed, and an agenda is not
    sent without it. A `procedural` item ("Godkendelse af dagsorden", "Meddelelser", "Næste
    møde", "Eventuelt") needs no responsible administration, even where the forum asks for
    one on every substantive item."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="standard_items")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    required = models.BooleanField(_("required by the terms of reference"), default=False)
    is_procedural = models.BooleanField(
        _("procedural"),
        default=False,
        help_text=_("A procedural item needs no responsible administration."),
    )
    responsible = models.ForeignKey(
        "Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default responsible administration"),
        help_text=_("Copied to the item on every new agenda, where it can be changed."),
    )

    # The closing item: a new standard item goes before it, and it stays last.
    CLOSING_TITLE = "Eventuelt"

    class Meta:
        ordering = ["forum", "position"]
        verbose_name = _("standard agenda item")
        verbose_name_plural = _("standard agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "position"], name="standard_item_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def is_closing(self) -> bool:
        """»Eventuelt« (any letter case): the item that closes every agenda."""
        return self.title.strip().casefold() == self.CLOSING_TITLE.casefold()
