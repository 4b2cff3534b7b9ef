"""Tenancy (SPEC §2): organisations, their members, programmes, and the project as the tenant unit.

The project lives here, not in the `projects` app, because it is what every access decision is
about: the core's access module, reports and notifications refer to it, and the core must never
import a domain app. The `projects` app builds the five-step workflow on top of it.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.TextChoices):
    """The 21 Swedish counties (län) with their SCB codes."""

    STOCKHOLM = "01", "Stockholms län"
    UPPSALA = "03", "Uppsala län"
    SODERMANLAND = "04", "Södermanlands län"
    OSTERGOTLAND = "05", "Östergötlands län"
    JONKOPING = "06", "Jönköpings län"
    KRONOBERG = "07", "Kronobergs län"
    KALMAR = "08", "Kalmar län"
    GOTLAND = "09", "Gotlands län"
    BLEKINGE = "10", "Blekinge län"
    SKANE = "12", "Skåne län"
    HALLAND = "13", "Hallands län"
    VASTRA_GOTALAND = "14", "Västra Götalands län"
    VARMLAND = "17", "Värmlands län"
    OREBRO = "18", "Örebro län"
    VASTMANLAND = "19", "Västmanlands län"
    DALARNA = "20", "Dalarnas län"
    GAVLEBORG = "21", "Gävleborgs län"
    VASTERNORRLAND = "22", "Västernorrlands län"
    JAMTLAND = "23", "Jämtlands län"
    VASTERBOTTEN = "24", "Västerbottens län"
    NORRBOTTEN = "25", "Norrbottens län"


class StakeholderCategory(models.TextChoices):
    """SPEC §4.3."""

    MUNICIPAL_OFFICIAL = "kommun", _("Municipality (official)")
    POLITICIAN = "politiker", _("Politician")
    PROPERTY_OWNER = "fastighetsagare", _("Property owner")
    BUSINESS = "naringsidkare", _("Business owner")
    POLICE = "polis", _("Police")
    RESCUE_SERVICE = "raddningstjanst", _("Rescue service")
    CIVIL_SOCIETY = "civilsamhalle", _("Civil society / association")
    CENTRE_ORGANISATION = "centrumorganisation", _("Town centre organisation")
    RESIDENT = "boende", _("Resident")
    VISITOR = "besokare", _("Visitor")
    OTHER = "annan", _("Other")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        COUNTY_BOARD = "county_board", _("County administrative board")
        PARTNER = "partner", _("Partner organisation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    municipality_code = models.CharField(
        _("municipality code (SCB)"), max_length=4, blank=True, help_text=_("Four digits, e.g. 2084 for Avesta.")
    )
    county = models.CharField(_("county"), max_length=2, choices=County.choices, blank=True)
    # Where maps open for a new project (the town centre), in WGS84; without it, all of Sweden.
    map_center_lat = models.FloatField(_("map centre, latitude"), null=True, blank=True)
    map_center_lon = models.FloatField(_("map centre, longitude"), null=True, blank=True)
    require_mfa = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Members must set up an authenticator app before they can use the service."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=~models.Q(municipality_code=""),
                name="organisation_unique_municipality_code",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == self.Kind.MUNICIPALITY:
            code = self.municipality_code or ""
            if not (len(code) == 4 and code.isdigit()):
                errors["municipality_code"] = _("A municipality needs its four-digit SCB code.")
            elif not self.county:
                errors["county"] = _("A municipality needs its county.")
            elif code[:2] != self.county:
                errors["municipality_code"] = _("The first two digits of the code must be the county's code.")
        elif self.kind == self.Kind.COUNTY_BOARD:
            if not self.county:
                errors["county"] = _("A county administrative board needs its county.")
            if self.municipality_code:
                errors["municipality_code"] = _("Only municipalities have a municipality code.")
        elif self.municipality_code:
            errors["municipality_code"] = _("Only municipalities have a municipality code.")
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


class Programme(models.Model):
    """A multi-municipality programme run by one or more county boards."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    county_boards = models.ManyToManyField(
        Organisation,
        related_name="programmes_run",
        limit_choices_to={"kind": Organisation.Kind.COUNTY_BOARD},
        verbose_name=_("county administrative boards"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """One place run through the model's five steps."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")

    class Variant:
        """Slugs of the two shipped variants. Variants themselves are data (projects.Variant), so
        the field below takes any slug and the projects app resolves it."""

        ENTRY = "instegsmodell"
        FULL = "fullskalig"

    name = models.CharField(_("project name"), max_length=200)
    place_name = models.CharField(_("place"), max_length=200)
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
        verbose_name=_("municipality"),
    )
    variant = models.CharField(_("model variant"), max_length=40, default=Variant.ENTRY)
    start_date = models.DateField(_("start date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    description = models.TextField(_("description"), blank=True)
    # GeoJSON Polygon geometry in WGS84 (RFC 7946), validated by the project service.
    area = models.JSONField(_("area"), null=True, blank=True)
    programmes = models.ManyToManyField(
        Programme, related_name="projects", blank=True, verbose_name=_("programmes")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["municipality__name", "name"]

    def __str__(self) -> str:
        return self.name


class ProjectMembership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")
        COACH = "coach", _("Process coach")
        VIEWER = "viewer", _("Viewer")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships")
    role = models.CharField(_("project role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    stakeholder_category = models.CharField(
        _("stakeholder category"), max_length=30, choices=StakeholderCategory.choices, default=StakeholderCategory.OTHER
    )
    organisation_name = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("E.g. the company, authority or association.")
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="project_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.project} ({self.get_role_display()})"
