"""Writes of the partnership organisation (SPEC §3.7): actors and their contact persons, groups and
their members, and the uploaded partnership agreement.

Every function takes objects already resolved through `tenancy.access` (the view checked Perm.EDIT),
validates, saves and records an audit entry in one transaction (ARCHITECTURE.md, habit 2).
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygga_platser.audit.services import audit_record, changed_fields
from trygga_platser.tenancy.models import Project

from ..models import Actor, ActorContact, GroupMember, PartnershipDocument, PartnershipGroup

ACTOR_NAME_TAKEN = gettext_lazy("There is already an actor with this name in the partnership.")
MEMBER_PERSON_REQUIRED = gettext_lazy("Choose either a project member or a contact person.")
MEMBER_NOT_IN_PROJECT = gettext_lazy("The person is not a member of this project.")
CONTACT_NOT_IN_PROJECT = gettext_lazy("The contact person does not belong to an actor in this project.")
MEMBER_ALREADY_IN_GROUP = gettext_lazy("The person is already in this group.")
DOCUMENT_NOT_PDF = gettext_lazy(
    "The file is not a PDF document. Save or export the agreement as PDF and upload that file "
    "(renaming another kind of file to .pdf is not enough)."
)
DOCUMENT_TOO_LARGE = gettext_lazy("The file is too large. The maximum is %(mb)s MB.")
DOCUMENT_EMPTY = gettext_lazy("The file is empty.")

PDF_MAGIC = b"%PDF-"  # ISO 32000-2 §7.5.2: a PDF file begins with its header "%PDF-1.n" (or 2.0)


def document_max_bytes() -> int:
    return getattr(settings, "PARTNERSHIP_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)


def _validate(obj: models.Model, *, exclude: tuple[str, ...] = (), errors: dict | None = None) -> None:
    """Model validation plus the caller's own errors, raised together so a form shows them all."""
    collected: dict[str, list] = {k: list(v) if isinstance(v, list) else [v] for k, v in (errors or {}).items()}
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            if field not in collected:  # the caller's message about a field is the more precise one
                collected[field] = list(messages)
    if collected:
        raise ValidationError(collected)


def _strip(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


# ------------------------------------------------------------------------------------------------
# Actors
# ------------------------------------------------------------------------------------------------
ACTOR_FIELDS = ("name", "category", "description")


def _actor_errors(actor: Actor) -> dict:
    if actor.name and Actor.objects.filter(project_id=actor.project_id, name__iexact=actor.name).exclude(
        pk=actor.pk
    ).exists():
        return {"name": ACTOR_NAME_TAKEN}
    return {}


def actor_create(*, user, project: Project, name: str, category: str, description: str = "") -> Actor:
    with transaction.atomic():
        actor = Actor(project=project, **_strip({"name": name, "category": category, "description": description}))
        _validate(actor, exclude=("project",), errors=_actor_errors(actor))
        actor.save()
        audit_record(project=project, actor=user, action="actor.created", target=actor,
                     summary=_("Added the actor “%(name)s” (%(category)s) to the partnership") % {
                         "name": actor.name, "category": actor.get_category_display()})
    return actor


def actor_update(*, user, actor: Actor, **changes: Any) -> Actor:
    unknown = set(changes) - set(ACTOR_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    changes = _strip(changes)
    with transaction.atomic():
        diff = changed_fields(actor, changes)
        for field, value in changes.items():
            setattr(actor, field, value)
        _validate(actor, exclude=("project",), errors=_actor_errors(actor))
        if diff:
            actor.save()
            audit_record(project=actor.project, actor=user, action="actor.updated", target=actor, changes=diff,
                         summary=_("Changed the actor “%(name)s”") % {"name": actor.name})
    return actor


def actor_delete(*, user, actor: Actor) -> None:
    """Remove an actor, its contact persons and their places in the groups (the models cascade)."""
    with transaction.atomic():
        contacts = actor.contacts.count()
        audit_record(project=actor.project, actor=user, action="actor.removed", target=actor,
                     summary=_("Removed the actor “%(name)s” and its %(count)d contact persons") % {
                         "name": actor.name, "count": contacts})
        actor.delete()


# ------------------------------------------------------------------------------------------------
# Contact persons
# ------------------------------------------------------------------------------------------------
CONTACT_FIELDS = ("name", "title", "email", "phone")


def contact_create(*, user, actor: Actor, name: str, title: str = "", email: str = "", phone: str = "") -> ActorContact:
    with transaction.atomic():
        contact = ActorContact(actor=actor, **_strip({"name": name, "title": title, "email": email, "phone": phone}))
        _validate(contact, exclude=("actor",))
        contact.save()
        audit_record(project=actor.project, actor=user, action="contact.created", target=contact,
                     summary=_("Added the contact person %(name)s at “%(actor)s”") % {
                         "name": contact.name, "actor": actor.name})
    return contact


def contact_update(*, user, contact: ActorContact, **changes: Any) -> ActorContact:
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    changes = _strip(changes)
    with transaction.atomic():
        diff = changed_fields(contact, changes)
        for field, value in changes.items():
            setattr(contact, field, value)
        _validate(contact, exclude=("actor",))
        if diff:
            contact.save()
            audit_record(project=contact.actor.project, actor=user, action="contact.updated", target=contact,
                         changes=diff, summary=_("Changed the contact person %(name)s at “%(actor)s”") % {
                             "name": contact.name, "actor": contact.actor.name})
    return contact


def contact_delete(*, user, contact: ActorContact) -> None:
    with transaction.atomic():
        audit_record(project=contact.actor.project, actor=user, action="contact.removed", target=contact,
                     summary=_("Removed the contact person %(name)s at “%(actor)s”") % {
                         "name": contact.name, "actor": contact.actor.name})
        contact.delete()


# ------------------------------------------------------------------------------------------------
# Groups and their members
# ------------------------------------------------------------------------------------------------
GROUP_FIELDS = ("kind", "name", "purpose", "meeting_cadence")


def group_create(*, user, project: Project, kind: str, name: str, purpose: str = "",
                 meeting_cadence: str = "") -> PartnershipGroup:
    with transaction.atomic():
        group = PartnershipGroup(project=project, **_strip(
            {"kind": kind, "name": name, "purpose": purpose, "meeting_cadence": meeting_cadence}))
        _validate(group, exclude=("project",))
        group.save()
        audit_record(project=project, actor=user, action="group.created", target=group,
                     summary=_("Formed the group “%(name)s” (%(kind)s)") % {
                         "name": group.name, "kind": group.get_kind_display()})
    return group


def group_update(*, user, group: PartnershipGroup, **changes: Any) -> PartnershipGroup:
    unknown = set(changes) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    changes = _strip(changes)
    with transaction.atomic():
        diff = changed_fields(group, changes)
        for field, value in changes.items():
            setattr(group, field, value)
        _validate(group, exclude=("project",))
        if diff:
            group.save()
            audit_record(project=group.project, actor=user, action="group.updated", target=group, changes=diff,
                         summary=_("Changed the group “%(name)s”") % {"name": group.name})
    return group


def group_delete(*, user, group: PartnershipGroup) -> None:
    with transaction.atomic():
        audit_record(project=group.project, actor=user, action="group.removed", target=group,
                     summary=_("Removed the group “%(name)s”") % {"name": group.name})
        group.delete()


def group_member_add(*, user, group: PartnershipGroup, role: str = GroupMember.Role.MEMBER,
                     person=None, contact: ActorContact | None = None) -> GroupMember:
    """Add a project member (`person`, a user) or an actor's contact person to a group."""
    if (person is None) == (contact is None):
        raise ValidationError({"person": MEMBER_PERSON_REQUIRED})
    project = group.project
    with transaction.atomic():
        if person is not None and not project.memberships.filter(user=person).exists():
            raise ValidationError({"person": MEMBER_NOT_IN_PROJECT})
        if contact is not None and contact.actor.project_id != project.pk:
            raise ValidationError({"person": CONTACT_NOT_IN_PROJECT})
        already = group.members.filter(user=person) if person is not None else group.members.filter(contact=contact)
        if already.exists():
            raise ValidationError({"person": MEMBER_ALREADY_IN_GROUP})
        member = GroupMember(group=group, user=person, contact=contact, role=role)
        _validate(member, exclude=("group", "user", "contact"))
        member.save()
        audit_record(project=project, actor=user, action="group_member.added", target=member,
                     summary=_("Added %(name)s to “%(group)s” as %(role)s") % {
                         "name": member.display_name, "group": group.name, "role": member.get_role_display()})
    return member


def group_member_update(*, user, member: GroupMember, role: str) -> GroupMember:
    with transaction.atomic():
        diff = changed_fields(member, {"role": role})
        member.role = role
        _validate(member, exclude=("group", "user", "contact"))
        if diff:
            member.save(update_fields=["role"])
            audit_record(project=member.group.project, actor=user, action="group_member.updated", target=member,
                         changes=diff, summary=_("%(name)s is now %(role)s in “%(group)s”") % {
                             "name": member.display_name, "role": member.get_role_display(),
                             "group": member.group.name})
    return member


def group_member_remove(*, user, member: GroupMember) -> None:
    with transaction.atomic():
        audit_record(project=member.group.project, actor=user, action="group_member.removed", target=member,
                     summary=_("Removed %(name)s from “%(group)s”") % {
                         "name": member.display_name, "group": member.group.name})
        member.delete()


# ------------------------------------------------------------------------------------------------
# Documents (the partnership agreement)
# ------------------------------------------------------------------------------------------------
def document_check(upload: UploadedFile) -> None:
    """A PDF by its content, not its name or the browser's content type, and not too large."""
    limit = document_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": ValidationError(DOCUMENT_TOO_LARGE, params={"mb": limit // (1024 * 1024)})})
    if not upload.size:
        raise ValidationError({"file": DOCUMENT_EMPTY})
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError({"file": DOCUMENT_NOT_PDF})


def document_upload(*, user, project: Project, title: str, upload: UploadedFile) -> PartnershipDocument:
    """Store an uploaded PDF under the model's upload_to path (a random name, never served from
    MEDIA_URL: downloads go through the access-checked view)."""
    document = PartnershipDocument(project=project, title=(title or "").strip(), uploaded_by=user)
    errors: dict = {}
    try:
        document_check(upload)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    _validate(document, exclude=("project", "file", "uploaded_by"), errors=errors)
    with transaction.atomic():
        document.file.save("document.pdf", upload, save=False)
        stored = document.file.name
        try:  # a failed save must not leave the file behind
            document.save()
            audit_record(project=project, actor=user, action="document.uploaded", target=document,
                         summary=_("Uploaded the document “%(title)s”") % {"title": document.title})
        except Exception:
            document.file.storage.delete(stored)
            raise
    return document


def document_delete(*, user, document: PartnershipDocument) -> None:
    storage, name = document.file.storage, document.file.name
    with transaction.atomic():
        audit_record(project=document.project, actor=user, action="document.removed", target=document,
                     summary=_("Removed the document “%(title)s”") % {"title": document.title})
        document.delete()
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name) if name else None)
