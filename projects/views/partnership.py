"""The partnership organisation (SPEC §3.7): actors, contact persons, groups, members, documents.

Thin views: parse a form, resolve the project through tenancy.access, call one service or selector,
render or redirect. Reading needs Perm.VIEW_PERSONAL (names and contact details); changing needs
Perm.EDIT (process coach and coordinators). Every form is a plain POST followed by a redirect.
"""
from __future__ import annotations


from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from ..forms.partnership import (
    ActorForm,
    ContactForm,
    DocumentForm,
    GroupForm,
    GroupMemberForm,
    GroupMemberRoleForm,
)
from ..models import Actor, ActorContact, GroupMember, PartnershipDocument, PartnershipGroup
from ..selectors.partnership import partnership_overview
from ..services import partnership as services
from .pages import confirm_page, editable_project, form_page, post_data, section_url

def _partnership_url(project, anchor: str = "") -> str:
    return section_url(project, "partnership", anchor)


# ------------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET"])
def partnership(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW_PERSONAL)
    overview = partnership_overview(project=project)
    return render(request, "projects/partnership/partnership.html", {
        "project": project, "access": project.access, "overview": overview,
    })


# ------------------------------------------------------------------------------------------------
# Actors
# ------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def actor_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    return form_page(
        request, project=project, form=ActorForm(post_data(request)), active="partnership",
        save=lambda data: services.actor_create(user=request.user, project=project, **data),
        success_url=lambda actor: _partnership_url(project, f"actor-{actor.pk}"),
        success_message=_("The actor was added."), heading=_("Add an actor"), cancel_url=_partnership_url(project),
        submit=_("Add actor"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_edit(request: HttpRequest, project_id: int, actor_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    actor = project_child_get(Actor, project=project, pk=actor_id)
    initial = {"name": actor.name, "category": actor.category, "description": actor.description}
    return form_page(
        request, project=project, form=ActorForm(post_data(request), initial=initial), active="partnership",
        save=lambda data: services.actor_update(user=request.user, actor=actor, **data),
        success_url=lambda a: _partnership_url(project, f"actor-{a.pk}"),
        success_message=_("The changes were saved."), heading=_("Edit the actor %(name)s") % {"name": actor.name},
        cancel_url=_partnership_url(project, f"actor-{actor.pk}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_delete(request: HttpRequest, project_id: int, actor_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    actor = project_child_get(Actor, project=project, pk=actor_id)
    return confirm_page(
        request, project=project, active="partnership",
        delete=lambda: services.actor_delete(user=request.user, actor=actor),
        success_message=_("The actor %(name)s was removed.") % {"name": actor.name},
        heading=_("Remove the actor %(name)s") % {"name": actor.name},
        question=_("Remove %(name)s from the partnership?") % {"name": actor.name},
        consequence=_("Its contact persons are removed too, and so are their places in the groups."),
        back_url=_partnership_url(project),
    )


# ------------------------------------------------------------------------------------------------
# Contact persons
# ------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, project_id: int, actor_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    actor = project_child_get(Actor, project=project, pk=actor_id)
    return form_page(
        request, project=project, form=ContactForm(post_data(request)), active="partnership",
        save=lambda data: services.contact_create(user=request.user, actor=actor, **data),
        success_url=lambda contact: _partnership_url(project, f"actor-{actor.pk}"),
        success_message=_("The contact person was added."),
        heading=_("Add a contact person at %(actor)s") % {"actor": actor.name},
        cancel_url=_partnership_url(project, f"actor-{actor.pk}"), submit=_("Add contact person"),
    )


def _contact(project, contact_id: int) -> ActorContact:
    return project_child_get(ActorContact.objects.select_related("actor"), project=project, pk=contact_id,
                             project_field="actor__project")


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, project_id: int, contact_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    contact = _contact(project, contact_id)
    initial = {"name": contact.name, "title": contact.title, "email": contact.email, "phone": contact.phone}
    return form_page(
        request, project=project, form=ContactForm(post_data(request), initial=initial), active="partnership",
        save=lambda data: services.contact_update(user=request.user, contact=contact, **data),
        success_url=lambda c: _partnership_url(project, f"actor-{c.actor_id}"),
        success_message=_("The changes were saved."),
        heading=_("Edit the contact person %(name)s") % {"name": contact.name},
        cancel_url=_partnership_url(project, f"actor-{contact.actor_id}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request: HttpRequest, project_id: int, contact_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    contact = _contact(project, contact_id)
    return confirm_page(
        request, project=project, active="partnership",
        delete=lambda: services.contact_delete(user=request.user, contact=contact),
        success_message=_("The contact person %(name)s was removed.") % {"name": contact.name},
        heading=_("Remove the contact person %(name)s") % {"name": contact.name},
        question=_("Remove %(name)s as a contact person at %(actor)s?") % {
            "name": contact.name, "actor": contact.actor.name},
        consequence=_("The person also leaves the groups they sit in."),
        back_url=_partnership_url(project, f"actor-{contact.actor_id}"),
    )


# ------------------------------------------------------------------------------------------------
# Groups and their members
# ------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    return form_page(
        request, project=project, form=GroupForm(post_data(request)), active="partnership",
        save=lambda data: services.group_create(user=request.user, project=project, **data),
        success_url=lambda group: _partnership_url(project, f"group-{group.pk}"),
        success_message=_("The group was formed. Add its members next."), heading=_("Form a group"),
        cancel_url=_partnership_url(project), submit=_("Form group"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, project_id: int, group_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    group = project_child_get(PartnershipGroup, project=project, pk=group_id)
    initial = {"kind": group.kind, "name": group.name, "purpose": group.purpose,
               "meeting_cadence": group.meeting_cadence}
    return form_page(
        request, project=project, form=GroupForm(post_data(request), initial=initial), active="partnership",
        save=lambda data: services.group_update(user=request.user, group=group, **data),
        success_url=lambda g: _partnership_url(project, f"group-{g.pk}"),
        success_message=_("The changes were saved."), heading=_("Edit the group %(name)s") % {"name": group.name},
        cancel_url=_partnership_url(project, f"group-{group.pk}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_delete(request: HttpRequest, project_id: int, group_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    group = project_child_get(PartnershipGroup, project=project, pk=group_id)
    return confirm_page(
        request, project=project, active="partnership",
        delete=lambda: services.group_delete(user=request.user, group=group),
        success_message=_("The group %(name)s was removed.") % {"name": group.name},
        heading=_("Remove the group %(name)s") % {"name": group.name},
        question=_("Remove the group %(name)s and its list of members?") % {"name": group.name},
        consequence=_("The people themselves stay in the project and the partnership."),
        back_url=_partnership_url(project),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_member_add(request: HttpRequest, project_id: int, group_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    group = project_child_get(PartnershipGroup, project=project, pk=group_id)
    form = GroupMemberForm(post_data(request), project=project, group=group)
    return form_page(
        request, project=project, form=form, active="partnership",
        save=lambda data: services.group_member_add(user=request.user, group=group, role=data["role"],
                                                    **data["person"]),
        success_url=lambda member: _partnership_url(project, f"group-{group.pk}"),
        success_message=_("The person was added to the group."),
        heading=_("Add a member to %(group)s") % {"group": group.name},
        cancel_url=_partnership_url(project, f"group-{group.pk}"), submit=_("Add to group"),
        intro=_("Someone missing from the list? Invite them to the project, or add them as a contact person "
                "of their organisation on the partnership page."),
    )


def _group_member(project, member_id: int) -> GroupMember:
    return project_child_get(GroupMember.objects.select_related("group", "user", "contact"), project=project,
                             pk=member_id, project_field="group__project")


@login_required
@require_http_methods(["GET", "POST"])
def group_member_edit(request: HttpRequest, project_id: int, member_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    member = _group_member(project, member_id)
    return form_page(
        request, project=project, form=GroupMemberRoleForm(post_data(request), initial={"role": member.role}),
        active="partnership",
        save=lambda data: services.group_member_update(user=request.user, member=member, role=data["role"]),
        success_url=lambda m: _partnership_url(project, f"group-{m.group_id}"),
        success_message=_("The changes were saved."),
        heading=_("The role of %(name)s in %(group)s") % {"name": member.display_name, "group": member.group.name},
        cancel_url=_partnership_url(project, f"group-{member.group_id}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_member_delete(request: HttpRequest, project_id: int, member_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    member = _group_member(project, member_id)
    return confirm_page(
        request, project=project, active="partnership",
        delete=lambda: services.group_member_remove(user=request.user, member=member),
        success_message=_("%(name)s was removed from the group.") % {"name": member.display_name},
        heading=_("Remove %(name)s from %(group)s") % {"name": member.display_name, "group": member.group.name},
        question=_("Remove %(name)s from the group %(group)s?") % {
            "name": member.display_name, "group": member.group.name},
        back_url=_partnership_url(project, f"group-{member.group_id}"),
    )


# ------------------------------------------------------------------------------------------------
# Documents
# ------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, project_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    form = DocumentForm(post_data(request), request.FILES if request.method == "POST" else None)
    return form_page(
        request, project=project, form=form, active="partnership", multipart=True,
        save=lambda data: services.document_upload(user=request.user, project=project, title=data["title"],
                                                   upload=data["file"]),
        success_url=lambda document: _partnership_url(project, "documents"),
        success_message=_("The document was uploaded."), heading=_("Upload a document"),
        cancel_url=_partnership_url(project, "documents"), submit=_("Upload"),
    )


@login_required
@require_http_methods(["GET"])
def document_download(request: HttpRequest, project_id: int, document_id: int) -> FileResponse:
    """The only way to a stored document: the access module decides, MEDIA_URL is never used."""
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW_PERSONAL)
    document = project_child_get(PartnershipDocument, project=project, pk=document_id)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = f"{slugify(document.title) or 'document'}.pdf"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, project_id: int, document_id: int) -> HttpResponse:
    project = editable_project(request, project_id)
    document = project_child_get(PartnershipDocument, project=project, pk=document_id)
    return confirm_page(
        request, project=project, active="partnership",
        delete=lambda: services.document_delete(user=request.user, document=document),
        success_message=_("The document %(title)s was removed.") % {"title": document.title},
        heading=_("Remove the document %(title)s") % {"title": document.title},
        question=_("Remove the document %(title)s? The file is deleted.") % {"title": document.title},
        back_url=_partnership_url(project, "documents"),
    )
