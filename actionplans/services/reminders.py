"""Reminders about actions and the weekly digest to coordinators (SPEC §7.4, §10).

Run daily (reminders) and weekly (digest) from Celery beat. Every message is rendered in the
recipient's language and queued in the outbox (trygga_platser.notifications) under a unique key, so
a second run or a re-delivered task never sends anything twice:

- due soon:  ``action:<id>:due_soon:<due date>`` — once, the first run within DUE_SOON_DAYS of the
  due date (a new due date is reminded again);
- overdue:   ``action:<id>:overdue:<reminder day>`` — the reminder day is the first day overdue,
  then every seventh day after it; a run that was missed is caught up by the next one;
- digest:    ``digest:weekly:<user id>:<ISO year>-W<ISO week>``.

Only open actions of ongoing projects (planned or active) are reminded, and only to active users.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from trygga_platser.accounts.models import User
from trygga_platser.notifications.models import OutboundEmail
from trygga_platser.notifications.services import email_queue
from trygga_platser.tenancy.models import Project, ProjectMembership

from ..models import Action, ActionUpdate
from ..selectors.actions import ActionKpi, action_kpi

# "Default 7 days before the due date" (issue 6): one reminder when 0 < days left ≤ 7.
DUE_SOON_DAYS = 7
# After the first day overdue, a reminder every week until the action is closed.
OVERDUE_EVERY_DAYS = 7
ONGOING_PROJECTS = (Project.Status.PLANNED, Project.Status.ACTIVE)

DUE_SOON = "due_soon"
OVERDUE = "overdue"


def _language(user) -> str:
    return (getattr(user, "language", "") or settings.LANGUAGE_CODE)


def _open_reminded(today: date) -> QuerySet[Action]:
    return (
        Action.objects.filter(status__in=Action.OPEN_STATUSES, due_date__isnull=False, responsible__isnull=False,
                              responsible__is_active=True, project__status__in=ONGOING_PROJECTS)
        .select_related("project__municipality", "responsible")
        .order_by("pk")
    )


def actions_due_soon(*, today: date | None = None) -> QuerySet[Action]:
    """Open actions due within DUE_SOON_DAYS (not today: 0 < days left ≤ DUE_SOON_DAYS)."""
    today = today or timezone.localdate()
    return _open_reminded(today).filter(due_date__gt=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))


def actions_overdue(*, today: date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return _open_reminded(today).filter(due_date__lt=today)


def overdue_reminder_day(*, due_date: date, today: date) -> date:
    """The day of the overdue reminder that is current on `today`: the first day overdue, then weekly."""
    first = due_date + timedelta(days=1)
    weeks = (today - first).days // OVERDUE_EVERY_DAYS
    return first + timedelta(days=weeks * OVERDUE_EVERY_DAYS)


def reminder_key(*, action: Action, kind: str, day: date) -> str:
    return f"action:{action.pk}:{kind}:{day.isoformat()}"


def action_url(action: Action, *, done_question: bool = False) -> str:
    url = settings.SITE_URL + reverse("actionplans:action", kwargs={"project_id": action.project_id,
                                                                   "action_id": action.pk})
    return url + "?klar=1" if done_question else url


def _reminder_email(*, action: Action, kind: str, key: str, today: date) -> bool:
    user = action.responsible
    with translation.override(_language(user)):
        due_text = formats.date_format(action.due_date, "j F Y")
        if kind == DUE_SOON:
            subject = _("Due %(date)s: %(code)s %(title)s") % {"date": due_text, "code": action.code,
                                                               "title": action.title}
        else:
            subject = _("Overdue since %(date)s: %(code)s %(title)s") % {"date": due_text, "code": action.code,
                                                                         "title": action.title}
        context = {
            "kind": kind,
            "action": action,
            "project": action.project,
            "user": user,
            "days_left": (action.due_date - today).days,
            "days_over": (today - action.due_date).days,
            "done_url": action_url(action, done_question=True),
            "url": action_url(action),
        }
        _email, created = email_queue(
            key=key, to=user.email, subject=subject,
            text=render_to_string("actionplans/email/reminder.txt", context),
            html=render_to_string("actionplans/email/reminder.html", context),
        )
    return created


def action_reminders_send(*, today: date | None = None) -> int:
    """Queue the due-soon and overdue reminders of the day; returns how many are new. Safe to repeat."""
    today = today or timezone.localdate()
    candidates: list[tuple[Action, str, str]] = []
    for action in actions_due_soon(today=today):
        candidates.append((action, DUE_SOON, reminder_key(action=action, kind=DUE_SOON, day=action.due_date)))
    for action in actions_overdue(today=today):
        day = overdue_reminder_day(due_date=action.due_date, today=today)
        candidates.append((action, OVERDUE, reminder_key(action=action, kind=OVERDUE, day=day)))
    # What is already in the outbox is not rendered again; email_queue's unique key guards the rest.
    sent = set(OutboundEmail.objects.filter(key__in=[key for _a, _k, key in candidates]).values_list("key", flat=True))
    queued = 0
    for action, kind, key in candidates:
        if key not in sent and action.responsible.email:
            queued += _reminder_email(action=action, kind=kind, key=key, today=today)
    return queued


# ------------------------------------------------------------------------------------------------
# The weekly digest to coordinators
# ------------------------------------------------------------------------------------------------
@dataclass
class ProjectDigest:
    project: Project
    kpi: ActionKpi
    overdue: list[Action] = field(default_factory=list)
    due_soon: list[Action] = field(default_factory=list)
    progress: list[ActionUpdate] = field(default_factory=list)

    @property
    def url(self) -> str:
        return settings.SITE_URL + reverse("actionplans:list", kwargs={"project_id": self.project.pk})


def project_digest(*, project: Project, today: date) -> ProjectDigest:
    """One project's week: KPI, overdue, due in the coming week, progress in the past week."""
    open_actions = (Action.objects.filter(project=project, status__in=Action.OPEN_STATUSES, due_date__isnull=False)
                    .select_related("responsible").order_by("due_date", "number"))
    week_ahead = today + timedelta(days=DUE_SOON_DAYS)
    progress = (ActionUpdate.objects.filter(action__project=project, date__gt=today - timedelta(days=7),
                                            date__lte=today)
                .select_related("action", "author").order_by("-date", "-created_at"))
    return ProjectDigest(
        project=project,
        kpi=action_kpi(project=project, today=today),
        overdue=[a for a in open_actions if a.due_date < today],
        due_soon=[a for a in open_actions if today <= a.due_date <= week_ahead],
        progress=list(progress[:20]),
    )


def digest_recipients() -> QuerySet[User]:
    """Coordinators of ongoing projects with actions who have not opted out of digests."""
    return (
        User.objects.filter(
            is_active=True, receives_digests=True,
            project_memberships__role=ProjectMembership.Role.COORDINATOR,
            project_memberships__project__status__in=ONGOING_PROJECTS,
            project_memberships__project__actions__isnull=False,
        )
        .distinct()
        .prefetch_related(Prefetch(
            "project_memberships",
            queryset=ProjectMembership.objects.filter(role=ProjectMembership.Role.COORDINATOR,
                                                      project__status__in=ONGOING_PROJECTS)
            .select_related("project__municipality").order_by("project__name"),
            to_attr="coordinated",
        ))
        .order_by("pk")
    )


def digest_key(*, user, today: date) -> str:
    year, week, _weekday = today.isocalendar()
    return f"digest:weekly:{user.pk}:{year}-W{week:02d}"


def weekly_digests_send(*, today: date | None = None) -> int:
    """Queue this ISO week's digest for every coordinator who wants one; returns how many are new."""
    today = today or timezone.localdate()
    recipients = [u for u in digest_recipients() if u.email]
    keys = {u.pk: digest_key(user=u, today=today) for u in recipients}
    sent = set(OutboundEmail.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    digests: dict[int, ProjectDigest] = {}  # a project with two coordinators is summarised once
    queued = 0
    for user in recipients:
        if keys[user.pk] in sent:
            continue
        projects = []
        for membership in user.coordinated:
            project = membership.project
            if project.pk not in digests:
                digests[project.pk] = project_digest(project=project, today=today)
            if digests[project.pk].kpi.total:
                projects.append(digests[project.pk])
        if not projects:
            continue
        with translation.override(_language(user)):
            week = today.isocalendar()[1]
            subject = _("Action plans this week (week %(week)s)") % {"week": week}
            context = {"user": user, "projects": projects, "today": today, "week": week,
                       "settings_url": settings.SITE_URL + reverse("accounts:settings")}
            _email, created = email_queue(
                key=keys[user.pk], to=user.email, subject=subject,
                text=render_to_string("actionplans/email/digest.txt", context),
                html=render_to_string("actionplans/email/digest.html", context),
            )
        queued += created
    return queued
