"""Goals (SPEC §3.8), the joint case (§3.9) and the coaching log (step 4).

The goals page needs only Perm.VIEW: county boards follow the goals. It holds no personal data, and
the free text written about goals and cases (notes, descriptions, follow-ups) is left out for them.
The coaching log is free text about the project's people: Perm.VIEW_PERSONAL to read, Perm.EDIT to
write, and only its author changes an entry.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from ..forms.plans import CoachingEntryForm, GoalForm, JointCaseForm
from ..models import CoachingEntry, Goal, JointCase
from ..selectors.plans import coaching_entries, coaching_entry_count, goals_with_status, joint_cases
from ..services import plans as services
from ..services.plans import short_term_deadline
from .pages import confirm_page, editable_project, form_page, post_data, section_url


def _goals_url(project, anchor: str = "") -> str:
    return section_url(project, "goals", anchor)


def _coaching_url(project, anchor: str = "") -> str:
    return section_url(project, "coaching", anchor)


# ------------------------------------------------------------------------------------------------
# The goals page (with the joint case)
# ------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET"])
def goals(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    access = project.access
    return render(request, "projects/plans/goals.html", {
        "project": project,
        "access": access,
        "goals": goals_with_status(project=project),
        "cases": joint_cases(project=project),
        "short_term_deadline": short_term_deadline(project),
        "coaching_count": coaching_entry_count(project=project) if access.can_view_personal else None,
    })


# ------------------------------------------------------------------------------------------------
# Goals
# ------------------------------------------------------------------------------------------------
def _goal_initial(goal: Goal) -> dict:
    return {name: getattr(goal, name) for name in services.GOAL_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    horizon = request.GET.get("horizon")
    initial = {"horizon": horizon} if horizon in Goal.Horizon.values else {}
    return form_page(
        request, project=project, form=GoalForm(post_data(request), project=project, initial=initial), active="goals",
        save=lambda data: services.goal_create(user=request.user, project=project, **data),
        success_url=lambda goal: _goals_url(project, f"goal-{goal.pk}"),
        success_message=_("The goal was added."), heading=_("Add a goal"), cancel_url=_goals_url(project),
        submit=_("Add goal"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, project_id: int, goal_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    goal = project_child_get(Goal, project=project, pk=goal_id)
    form = GoalForm(post_data(request), project=project, initial=_goal_initial(goal))
    return form_page(
        request, project=project, form=form, active="goals",
        save=lambda data: services.goal_update(user=request.user, goal=goal, **data),
        success_url=lambda g: _goals_url(project, f"goal-{g.pk}"),
        success_message=_("The changes were saved."), heading=_("Edit the goal"),
        cancel_url=_goals_url(project, f"goal-{goal.pk}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request: HttpRequest, project_id: int, goal_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    goal = project_child_get(Goal, project=project, pk=goal_id)
    return confirm_page(
        request, project=project, active="goals",
        delete=lambda: services.goal_delete(user=request.user, goal=goal),
        success_message=_("The goal was removed."), heading=_("Remove a goal"),
        question=_("Remove the goal “%(title)s”?") % {"title": goal.title}, back_url=_goals_url(project),
    )


# ------------------------------------------------------------------------------------------------
# The joint case
# ------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    return form_page(
        request, project=project, form=JointCaseForm(post_data(request), project=project), active="goals",
        save=lambda data: services.joint_case_create(user=request.user, project=project, **data),
        success_url=lambda case: _goals_url(project, f"case-{case.pk}"),
        success_message=_("The joint case was added."), heading=_("Add a joint case"),
        cancel_url=_goals_url(project, "cases"), submit=_("Add case"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, project_id: int, case_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    case = project_child_get(JointCase.objects.prefetch_related("actors"), project=project, pk=case_id)
    initial = {name: getattr(case, name) for name in services.CASE_FIELDS} | {"actors": list(case.actors.all())}
    return form_page(
        request, project=project, form=JointCaseForm(post_data(request), project=project, initial=initial),
        active="goals",
        save=lambda data: services.joint_case_update(user=request.user, case=case, **data),
        success_url=lambda c: _goals_url(project, f"case-{c.pk}"),
        success_message=_("The changes were saved."), heading=_("Edit the joint case %(title)s") % {"title": case.title},
        cancel_url=_goals_url(project, f"case-{case.pk}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_delete(request: HttpRequest, project_id: int, case_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    case = project_child_get(JointCase, project=project, pk=case_id)
    return confirm_page(
        request, project=project, active="goals",
        delete=lambda: services.joint_case_delete(user=request.user, case=case),
        success_message=_("The joint case was removed."),
        heading=_("Remove the joint case %(title)s") % {"title": case.title},
        question=_("Remove the joint case “%(title)s” and its follow-up?") % {"title": case.title},
        back_url=_goals_url(project, "cases"),
    )


# ------------------------------------------------------------------------------------------------
# The coaching log
# ------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET"])
def coaching(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW_PERSONAL)
    return render(request, "projects/plans/coaching.html", {
        "project": project, "access": project.access, "entries": coaching_entries(project=project),
    })


@login_required
@require_http_methods(["GET", "POST"])
def coaching_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    return form_page(
        request, project=project, form=CoachingEntryForm(post_data(request)), active="goals",
        save=lambda data: services.coaching_entry_create(user=request.user, project=project, **data),
        success_url=lambda entry: _coaching_url(project, f"entry-{entry.pk}"),
        success_message=_("The entry was added to the coaching log."), heading=_("New entry in the coaching log"),
        cancel_url=_coaching_url(project), submit=_("Save entry"),
    )


def _own_entry(request: HttpRequest, project, entry_id: int) -> CoachingEntry:
    entry = project_child_get(CoachingEntry, project=project, pk=entry_id)
    if entry.author_id != request.user.pk:
        raise PermissionDenied
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def coaching_edit(request: HttpRequest, project_id: int, entry_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    entry = _own_entry(request, project, entry_id)
    initial = {name: getattr(entry, name) for name in services.ENTRY_FIELDS}
    return form_page(
        request, project=project, form=CoachingEntryForm(post_data(request), initial=initial), active="goals",
        save=lambda data: services.coaching_entry_update(user=request.user, entry=entry, **data),
        success_url=lambda e: _coaching_url(project, f"entry-{e.pk}"),
        success_message=_("The changes were saved."), heading=_("Edit the coaching log entry"),
        cancel_url=_coaching_url(project, f"entry-{entry.pk}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def coaching_delete(request: HttpRequest, project_id: int, entry_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    entry = _own_entry(request, project, entry_id)
    return confirm_page(
        request, project=project, active="goals",
        delete=lambda: services.coaching_entry_delete(user=request.user, entry=entry),
        success_message=_("The entry was removed from the coaching log."),
        heading=_("Remove a coaching log entry"),
        question=_("Remove the entry “%(topic)s” of %(date)s?") % {"topic": entry.topic, "date": date_format(entry.date, "j F Y")},
        back_url=_coaching_url(project),
    )
