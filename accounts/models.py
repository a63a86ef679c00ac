from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)


class CalendarReminders(models.TextChoices):
    """The alarms (VALARM) a member wants on the events of their personal calendar feed."""

    NONE = "none", _("No reminders")
    HOUR = "hour", _("1 hour before")
    DAY = "day", _("1 day before")
    BOTH = "both", _("1 day and 1 hour before")


class User(AbstractUser):
    """A person who can sign in, identified by e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    calendar_reminders = models.CharField(
        _("reminders in my calendar"),
        max_length=10,
        choices=CalendarReminders.choices,
        default=CalendarReminders.NONE,
        help_text=_("Alarms on the meetings and deadlines of your personal calendar feed."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("An account with this e-mail address already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        """One account per address whatever its letter case (``Lower("email")`` is unique):
        a case variant of another account's address is refused at the e-mail field."""
        super().clean()
        self.email = (self.email or "").strip().lower()
        others = User.objects.exclude(pk=self.pk) if self.pk else User.objects.all()
        if self.email and others.filter(email__iexact=self.email).exists():
            message = _("An account with the e-mail address “%(email)s” already exists.")
            raise ValidationError(
                {"email": ValidationError(message, code="unique", params={"email": self.email})}
            )

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @cached_property
    def is_secretariat(self) -> bool:
        if not self.is_active:
            return False
        return self.is_superuser or self.groups.filter(name=settings.SECRETARIAT_GROUP).exists()


class PasswordResetRequest(models.Model):
    """One "forgot your password?" request, as the task handled it.

    The rate limits count these rows (not a cache), so they hold across web processes
    and workers; the sweep deletes rows older than a day.
    """

    class Outcome(models.TextChoices):
        SENT = "sent", _("Link sent")
        UNKNOWN = "unknown", _("No such account")
        LIMITED = "limited", _("Over the limit")

    address = models.EmailField(_("e-mail address"))
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["address", "requested_at"]),
            models.Index(fields=["client_address", "requested_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["sent", "unknown", "limited"]),
                name="password_reset_request_outcome_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.address} {self.requested_at:%Y-%m-%d %H:%M} {self.outcome}"
