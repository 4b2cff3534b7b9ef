"""Reminders about actions (SPEC §7.4, §10): due soon and overdue to the responsible person, through
the outbox, once per action, kind and day."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actionplans import tasks
from actionplans.models import Action
from actionplans.services.reminders import (
    DUE_SOON,
    OVERDUE,
    action_reminders_send,
    actions_due_soon,
    actions_overdue,
    overdue_reminder_day,
)
from trygga_platser.notifications.models import OutboundEmail
from trygga_platser.tenancy.models import Project

from ..factories import ProjectMembershipFactory
from .factories import ActionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 11)  # a Monday


def action_for(world, *, days: int, status=Action.Status.PLANNED, responsible=None, **extra) -> Action:
    """An action of world.project due `days` from TODAY (negative: overdue)."""
    return ActionFactory(project=world.project, responsible=responsible or world.member, status=status,
                         due_date=TODAY + timedelta(days=days), **extra)


def reminder_keys() -> set[str]:
    return set(OutboundEmail.objects.filter(key__startswith="action:").values_list("key", flat=True))


def test_due_soon_selects_exactly_open_actions_due_within_seven_days(world):
    # given actions due at various distances from today, open and closed
    tomorrow = action_for(world, days=1)
    in_a_week = action_for(world, days=7, status=Action.Status.IN_PROGRESS)
    action_for(world, days=8)  # too far ahead
    action_for(world, days=0)  # due today: neither due soon nor overdue
    action_for(world, days=3, status=Action.Status.DONE)
    action_for(world, days=3, status=Action.Status.CANCELLED)
    ActionFactory(project=world.project, responsible=None, due_date=TODAY + timedelta(days=2))  # no one to remind
    ActionFactory(project=world.project, responsible=world.member, due_date=None)

    # when selecting
    selected = set(actions_due_soon(today=TODAY).values_list("pk", flat=True))

    # then exactly the two open ones within 0 < days left ≤ 7
    assert selected == {tomorrow.pk, in_a_week.pk}


def test_overdue_selects_exactly_open_actions_past_their_due_date(world):
    # given overdue actions in every status and one due today
    yesterday = action_for(world, days=-1)
    long_ago = action_for(world, days=-40, status=Action.Status.IN_PROGRESS)
    action_for(world, days=0)
    action_for(world, days=-5, status=Action.Status.DONE)
    action_for(world, days=-5, status=Action.Status.CANCELLED)

    # when selecting
    selected = set(actions_overdue(today=TODAY).values_list("pk", flat=True))

    # then only the open ones
    assert selected == {yesterday.pk, long_ago.pk}


def test_inactive_users_and_finished_projects_are_not_reminded(world):
    # given an inactive responsible person, and an open action in a completed project
    gone = ProjectMembershipFactory(project=world.project).user
    gone.is_active = False
    gone.save()
    action_for(world, days=2, responsible=gone)
    action_for(world, days=-1, responsible=gone)
    finished = action_for(world, days=2)
    Project.objects.filter(pk=world.project.pk).update(status=Project.Status.COMPLETED)

    # when the reminders run
    queued = action_reminders_send(today=TODAY)

    # then nothing is queued
    assert queued == 0
    assert not actions_due_soon(today=TODAY).filter(pk=finished.pk).exists()
    assert reminder_keys() == set()


def test_reminders_go_to_the_responsible_person_with_the_is_it_done_link(world):
    # given one action due in three days and one overdue since yesterday
    soon = action_for(world, days=3, title="Byt armaturer i gångtunneln")
    late = action_for(world, days=-1, title="Klotterrensning inom 24 timmar")

    # when the reminders run
    queued = action_reminders_send(today=TODAY)

    # then one message each, keyed per action, kind and day, to the responsible person
    assert queued == 2
    assert reminder_keys() == {
        f"action:{soon.pk}:{DUE_SOON}:{soon.due_date.isoformat()}",
        f"action:{late.pk}:{OVERDUE}:{TODAY.isoformat()}",
    }
    email = OutboundEmail.objects.get(key__contains=f"action:{soon.pk}:")
    assert email.to == world.member.email
    assert "Byt armaturer i gångtunneln" in email.subject
    link = settings.SITE_URL + reverse("actionplans:action", kwargs={"project_id": world.project.pk,
                                                                    "action_id": soon.pk}) + "?klar=1"
    assert link in email.body_text
    assert link in email.body_html


def test_two_runs_on_the_same_day_send_once(world):
    # given a due-soon and an overdue action
    action_for(world, days=2)
    action_for(world, days=-3)

    # when the reminders run twice
    first = action_reminders_send(today=TODAY)
    second = action_reminders_send(today=TODAY)

    # then the second run queues nothing
    assert (first, second) == (2, 0)
    assert OutboundEmail.objects.filter(key__startswith="action:").count() == 2


def test_a_redelivered_task_sends_nothing_twice(world):
    # given actions due soon and overdue relative to the real today
    today = timezone.localdate()
    ActionFactory(project=world.project, responsible=world.member, due_date=today + timedelta(days=4))
    ActionFactory(project=world.project, responsible=world.member, due_date=today - timedelta(days=1))

    # when the beat task runs and its message is delivered again
    first = tasks.action_reminders.apply().get()
    again = tasks.action_reminders.apply().get()

    # then the outbox holds each reminder once
    assert (first, again) == (2, 0)
    assert OutboundEmail.objects.filter(key__startswith="action:").count() == 2


def test_due_soon_is_sent_once_and_again_when_the_due_date_moves(world):
    # given an action due in seven days
    action = action_for(world, days=7)

    # when the reminders run every day of the week before the due date
    counts = [action_reminders_send(today=TODAY + timedelta(days=d)) for d in range(7)]

    # then one reminder only, on the first day
    assert counts == [1, 0, 0, 0, 0, 0, 0]

    # and when the due date is moved, the new date is reminded once more
    Action.objects.filter(pk=action.pk).update(due_date=TODAY + timedelta(days=10))
    assert action_reminders_send(today=TODAY + timedelta(days=6)) == 1
    assert action_reminders_send(today=TODAY + timedelta(days=7)) == 0


def test_overdue_is_reminded_on_the_first_day_then_weekly(world):
    # given an action due on TODAY
    action_for(world, days=0)

    # when the reminders run daily for three weeks after the due date
    sent_on = [d for d in range(1, 22) if action_reminders_send(today=TODAY + timedelta(days=d))]

    # then on the first day overdue and every seventh day after it
    assert sent_on == [1, 8, 15]


def test_a_missed_run_is_caught_up_by_the_next(world):
    # given an action that became overdue while the beat was down for three days
    action = action_for(world, days=-3)

    # when the reminders run again
    queued = action_reminders_send(today=TODAY)

    # then it is reminded once, under the key of the week's reminder day (its first day overdue)
    assert queued == 1
    assert reminder_keys() == {f"action:{action.pk}:{OVERDUE}:{(TODAY - timedelta(days=2)).isoformat()}"}
    assert overdue_reminder_day(due_date=action.due_date, today=TODAY + timedelta(days=5)) == TODAY + timedelta(days=5)


@pytest.mark.parametrize(("language", "month"), [("en", "May"), ("sv", "maj")])
def test_the_reminder_is_in_the_recipients_language(world, language, month):
    # given a responsible person who reads `language`
    world.member.language = language
    world.member.save()
    action_for(world, days=-1)  # due 10 May

    # when the reminders run
    action_reminders_send(today=TODAY)

    # then the dates are written in that language
    email = OutboundEmail.objects.get(key__startswith="action:")
    assert f"10 {month} 2026" in email.subject
    assert f'lang="{language}"' in email.body_html
