"""The partnership organisation (SPEC §3.7): actors, contact persons, groups, members, documents."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import evidence
from projects.models import Actor, ActorContact, GroupMember, PartnershipDocument, PartnershipGroup
from projects.selectors.partnership import partnership_evidence, partnership_summary
from projects.services import partnership as services
from projects.services.partnership import (
    ACTOR_NAME_TAKEN,
    CONTACT_NOT_IN_PROJECT,
    DOCUMENT_NOT_PDF,
    DOCUMENT_TOO_LARGE,
    MEMBER_ALREADY_IN_GROUP,
    MEMBER_NOT_IN_PROJECT,
)
from trygga_platser.audit.models import AuditEntry
from trygga_platser.tenancy.models import StakeholderCategory

from ..factories import ProjectFactory, UserFactory
from .factories_partnership import (
    ActorContactFactory,
    ActorFactory,
    GroupMemberFactory,
    PartnershipGroupFactory,
    real_pdf,
)

pytestmark = pytest.mark.django_db

READERS = ["org_admin", "org_coordinator", "org_member", "project_coordinator", "coach", "member", "project_viewer"]
EDITORS = ["org_admin", "org_coordinator", "project_coordinator", "coach"]
NOT_EDITORS = ["org_member", "member", "project_viewer"]


def url(name: str, project, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_id": project.pk, **kwargs})


def field_errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


@pytest.fixture
def partnership(world):
    """An actor with a contact person, and a steering group where the contact and a member sit."""
    actor = ActorFactory(project=world.project, name="Torghuset AB", category=StakeholderCategory.PROPERTY_OWNER)
    contact = ActorContactFactory(actor=actor, name="Karin Sjöberg", email="karin@torghuset.example",
                                  phone="070-111 22 33")
    group = PartnershipGroupFactory(project=world.project, name="Styrgruppen", meeting_cadence="Varannan månad")
    GroupMember.objects.create(group=group, contact=contact, role=GroupMember.Role.CHAIR)
    GroupMember.objects.create(group=group, user=world.member, role=GroupMember.Role.MEMBER)
    return actor, contact, group


# ------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", READERS)
def test_people_with_personal_access_read_the_partnership(world, client_for, partnership, who):
    # Given an actor with a contact person in a group
    # When someone who may see personal data opens the page
    response = client_for(getattr(world, who)).get(url("partnership", world.project))
    # Then they see the actor, the contact details, the group with its cadence and roles
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Torghuset AB", "Karin Sjöberg", "mailto:karin@torghuset.example", "tel:0701112233",
                 "Styrgruppen", "Varannan månad", world.member.get_full_name()):
        assert text in html, text


def test_county_board_and_outsiders_do_not_reach_the_partnership_page(world, client_for, partnership):
    # Given the partnership page holds names and contact details
    # When a county board officer asks for it, Then 403 (the project is visible, personal data is not)
    assert client_for(world.county_officer).get(url("partnership", world.project)).status_code == 403
    # And for someone without a path into the project it does not exist
    assert client_for(world.outsider).get(url("partnership", world.project)).status_code == 404
    assert client_for(world.other_coordinator).get(url("partnership", world.project)).status_code == 404


@pytest.mark.parametrize("who", NOT_EDITORS)
def test_readers_see_no_edit_controls_and_get_403_on_changes(world, client_for, partnership, who):
    actor, contact, group = partnership
    client = client_for(getattr(world, who))
    # Given a reader on the page, Then there are no links to change anything
    html = client.get(url("partnership", world.project)).content.decode()
    assert url("actor_create", world.project) not in html
    assert url("actor_delete", world.project, actor_id=actor.pk) not in html
    # When they post anyway, Then 403 and nothing changes
    assert client.post(url("actor_create", world.project), {"name": "Nytt AB", "category": "polis"}).status_code == 403
    assert client.get(url("actor_edit", world.project, actor_id=actor.pk)).status_code == 403
    assert client.post(url("actor_delete", world.project, actor_id=actor.pk)).status_code == 403
    assert client.post(url("group_member_add", world.project, group_id=group.pk),
                       {"person": f"user:{world.coach.pk}", "role": "member"}).status_code == 403
    assert client.post(url("document_upload", world.project),
                       {"title": "Avtal", "file": SimpleUploadedFile("a.pdf", real_pdf())}).status_code == 403
    assert not Actor.objects.filter(name="Nytt AB").exists()
    assert Actor.objects.filter(pk=actor.pk).exists()
    assert group.members.count() == 2
    assert not PartnershipDocument.objects.exists()


def test_county_board_cannot_change_the_partnership(world, client_for):
    response = client_for(world.county_officer).post(url("actor_create", world.project),
                                                     {"name": "Nytt AB", "category": "polis"})
    assert response.status_code == 403
    assert not Actor.objects.exists()


# ------------------------------------------------------------------------------------------------
# Actors and contact persons
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", EDITORS)
def test_editors_add_an_actor_and_it_is_audited(world, client_for, who):
    # Given an editor (coach or coordinator)
    user = getattr(world, who)
    # When they add an actor
    response = client_for(user).post(url("actor_create", world.project), {
        "name": "  Lokalpolisen  ", "category": StakeholderCategory.POLICE, "description": "Kommunpolisen"})
    # Then it is stored (trimmed), they land on it, and the audit log names them
    actor = Actor.objects.get(project=world.project)
    assert response.status_code == 302
    assert response["Location"] == url("partnership", world.project) + f"#actor-{actor.pk}"
    assert (actor.name, actor.category) == ("Lokalpolisen", "polis")
    entry = AuditEntry.objects.get(project=world.project, action="actor.created")
    assert entry.actor == user and entry.target_id == str(actor.pk)


def test_actor_without_a_name_or_a_known_category_is_refused(world, client_for):
    # When the coach posts an empty name and an unknown category
    response = client_for(world.coach).post(url("actor_create", world.project), {"name": " ", "category": "kung"})
    # Then the form says what is wrong, next to the fields, and nothing is stored
    assert response.status_code == 200
    assert field_errors(response, "name") and field_errors(response, "category")
    assert not Actor.objects.exists()
    assert not AuditEntry.objects.filter(action="actor.created").exists()


def test_the_same_actor_twice_is_refused(world, client_for):
    ActorFactory(project=world.project, name="Torghuset AB")
    response = client_for(world.coach).post(url("actor_create", world.project),
                                            {"name": "torghuset ab", "category": "fastighetsagare"})
    assert response.status_code == 200
    assert field_errors(response, "name") == [str(ACTOR_NAME_TAKEN)]
    assert Actor.objects.count() == 1
    # But another project may have an actor of the same name
    other = ActorFactory(project=world.other_project, name="Torghuset AB")
    assert other.pk


def test_editing_an_actor_records_what_changed(world, client_for, partnership):
    actor, _contact, _group = partnership
    response = client_for(world.project_coordinator).post(url("actor_edit", world.project, actor_id=actor.pk), {
        "name": "Torghuset Fastigheter AB", "category": "fastighetsagare", "description": ""})
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.name == "Torghuset Fastigheter AB"
    entry = AuditEntry.objects.get(action="actor.updated")
    assert entry.changes["name"] == ["Torghuset AB", "Torghuset Fastigheter AB"]


def test_removing_an_actor_removes_its_contacts_and_their_group_places(world, client_for, partnership):
    actor, contact, group = partnership
    client = client_for(world.coach)
    # Given the confirmation page, which says what goes with it
    confirm = client.get(url("actor_delete", world.project, actor_id=actor.pk))
    assert confirm.status_code == 200 and confirm.context["consequence"]
    # When the coach confirms
    response = client.post(url("actor_delete", world.project, actor_id=actor.pk))
    # Then the actor, the contact and the contact's seat are gone; the project member stays in the group
    assert response.status_code == 302
    assert not Actor.objects.filter(pk=actor.pk).exists()
    assert not ActorContact.objects.filter(pk=contact.pk).exists()
    assert list(group.members.values_list("user", flat=True)) == [world.member.pk]
    assert AuditEntry.objects.filter(action="actor.removed", target_id=str(actor.pk)).exists()


def test_contact_person_is_added_edited_and_removed(world, client_for):
    actor = ActorFactory(project=world.project)
    client = client_for(world.coach)
    # When the coach adds a contact person
    response = client.post(url("contact_create", world.project, actor_id=actor.pk), {
        "name": "Per Holm", "title": "Kommunpolis", "email": "per.holm@polisen.example", "phone": "114 14"})
    contact = ActorContact.objects.get(actor=actor)
    assert response.status_code == 302 and contact.name == "Per Holm"
    # And changes the phone number
    client.post(url("contact_edit", world.project, contact_id=contact.pk), {
        "name": "Per Holm", "title": "Kommunpolis", "email": "per.holm@polisen.example", "phone": "010-56 700 00"})
    contact.refresh_from_db()
    assert contact.phone == "010-56 700 00"
    # And removes them
    client.post(url("contact_delete", world.project, contact_id=contact.pk))
    assert not ActorContact.objects.filter(pk=contact.pk).exists()
    assert list(AuditEntry.objects.filter(target_type="projects.actorcontact").order_by("pk").values_list(
        "action", flat=True)) == ["contact.created", "contact.updated", "contact.removed"]


def test_contact_with_a_bad_email_is_refused(world, client_for):
    actor = ActorFactory(project=world.project)
    response = client_for(world.coach).post(url("contact_create", world.project, actor_id=actor.pk),
                                            {"name": "Per Holm", "email": "inte-en-adress"})
    assert response.status_code == 200
    assert field_errors(response, "email")
    assert not ActorContact.objects.exists()


# ------------------------------------------------------------------------------------------------
# Groups and members
# ------------------------------------------------------------------------------------------------
def test_coach_forms_a_group_and_adds_a_member_and_a_contact_person(world, client_for):
    contact = ActorContactFactory(actor=ActorFactory(project=world.project), name="Mona Berg")
    client = client_for(world.coach)
    # When the coach forms a working group
    response = client.post(url("group_create", world.project), {
        "kind": "working", "name": "Arbetsgruppen", "purpose": "Genomför handlingsplanen",
        "meeting_cadence": "Varje månad"})
    group = PartnershipGroup.objects.get(project=world.project)
    assert response.status_code == 302 and group.kind == "working"
    # And adds a project member as convener and a contact person as secretary
    add = url("group_member_add", world.project, group_id=group.pk)
    assert client.post(add, {"person": f"user:{world.member.pk}", "role": "convener"}).status_code == 302
    assert client.post(add, {"person": f"contact:{contact.pk}", "role": "secretary"}).status_code == 302
    # Then both sit in the group with their roles, and the page shows them
    assert {(m.display_name, m.role) for m in group.members.select_related("user", "contact")} == {
        (world.member.get_full_name(), "convener"), ("Mona Berg", "secretary")}
    html = client.get(url("partnership", world.project)).content.decode()
    assert "Mona Berg" in html and "Arbetsgruppen" in html and "Varje månad" in html
    assert AuditEntry.objects.filter(action="group_member.added").count() == 2


def test_a_person_sits_only_once_in_a_group(world, client_for, partnership):
    _actor, contact, group = partnership
    client = client_for(world.coach)
    address = url("group_member_add", world.project, group_id=group.pk)
    # Given the form offers only people not yet in the group
    offered = [value for _label, options in client.get(address).context["form"].fields["person"].choices[1:]
               for value, _name in options]
    assert f"contact:{contact.pk}" not in offered and f"user:{world.member.pk}" not in offered
    assert f"user:{world.coach.pk}" in offered
    # When the contact is posted again anyway, Then it is refused and nothing is added
    response = client.post(address, {"person": f"contact:{contact.pk}", "role": "member"})
    assert response.status_code == 200 and field_errors(response, "person")
    assert group.members.count() == 2
    # And the service says why, whoever calls it
    with pytest.raises(ValidationError) as exc:
        services.group_member_add(user=world.coach, group=group, contact=contact)
    assert exc.value.message_dict["person"] == [str(MEMBER_ALREADY_IN_GROUP)]
    assert group.members.count() == 2


def test_people_from_outside_the_project_cannot_join_a_group(world, client_for, partnership):
    _actor, _contact, group = partnership
    foreign_contact = ActorContactFactory(actor=ActorFactory(project=world.other_project))
    client = client_for(world.coach)
    # When the form is posted with another project's contact or a stranger
    for person in (f"contact:{foreign_contact.pk}", f"user:{world.outsider.pk}", "user:x", "nonsense"):
        response = client.post(url("group_member_add", world.project, group_id=group.pk),
                               {"person": person, "role": "member"})
        # Then the choice is refused and the group is unchanged
        assert response.status_code == 200, person
        assert field_errors(response, "person"), person
    assert group.members.count() == 2
    # And the service refuses them too, whoever calls it
    with pytest.raises(ValidationError) as exc:
        services.group_member_add(user=world.coach, group=group, contact=foreign_contact)
    assert exc.value.message_dict["person"] == [str(CONTACT_NOT_IN_PROJECT)]
    with pytest.raises(ValidationError) as exc:
        services.group_member_add(user=world.coach, group=group, person=world.outsider)
    assert exc.value.message_dict["person"] == [str(MEMBER_NOT_IN_PROJECT)]


def test_member_role_is_changed_and_the_member_removed(world, client_for, partnership):
    _actor, _contact, group = partnership
    member = group.members.get(user=world.member)
    client = client_for(world.project_coordinator)
    assert client.post(url("group_member_edit", world.project, member_id=member.pk), {"role": "secretary"}).status_code == 302
    member.refresh_from_db()
    assert member.role == "secretary"
    assert client.post(url("group_member_delete", world.project, member_id=member.pk)).status_code == 302
    assert not GroupMember.objects.filter(pk=member.pk).exists()
    assert AuditEntry.objects.filter(action="group_member.removed", target_id=str(member.pk)).exists()


def test_group_is_edited_and_removed(world, client_for, partnership):
    _actor, contact, group = partnership
    client = client_for(world.coach)
    client.post(url("group_edit", world.project, group_id=group.pk), {
        "kind": "steering", "name": "Styrgruppen centrum", "purpose": "", "meeting_cadence": "Fyra gånger per år"})
    group.refresh_from_db()
    assert (group.name, group.meeting_cadence) == ("Styrgruppen centrum", "Fyra gånger per år")
    client.post(url("group_delete", world.project, group_id=group.pk))
    assert not PartnershipGroup.objects.filter(pk=group.pk).exists()
    assert ActorContact.objects.filter(pk=contact.pk).exists()  # the people stay


# ------------------------------------------------------------------------------------------------
# Documents
# ------------------------------------------------------------------------------------------------
def _stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "projects"
    return {str(p) for p in root.rglob("*.pdf")} if root.exists() else set()


def test_a_real_pdf_is_uploaded_and_downloaded_through_the_access_checked_view(world, client_for):
    pdf = real_pdf()
    client = client_for(world.coach)
    # When the coach uploads the signed agreement
    response = client.post(url("document_upload", world.project), {
        "title": "Samverkansöverenskommelse 2026", "file": SimpleUploadedFile("avtal.pdf", pdf, "application/pdf")})
    # Then it is stored under the model's path with a random name, and audited
    document = PartnershipDocument.objects.get(project=world.project)
    assert response.status_code == 302
    assert document.file.name.startswith(f"projects/{world.project.pk}/documents/")
    assert document.file.name.endswith(".pdf") and "avtal" not in document.file.name
    assert document.uploaded_by == world.coach
    assert AuditEntry.objects.filter(action="document.uploaded", target_id=str(document.pk)).exists()
    # And a member downloads it through the view, as an attachment that is not cached publicly
    download = client_for(world.member).get(url("document", world.project, document_id=document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="samverkansoverenskommelse-2026.pdf"' in download["Content-Disposition"]
    assert "private" in download["Cache-Control"]


def test_document_is_never_linked_or_served_through_media_url(world, client_for):
    client = client_for(world.coach)
    client.post(url("document_upload", world.project), {"title": "Avtal", "file": SimpleUploadedFile("a.pdf", real_pdf())})
    document = PartnershipDocument.objects.get()
    # The page links to the view, not to the file
    html = client.get(url("partnership", world.project)).content.decode()
    assert url("document", world.project, document_id=document.pk) in html
    assert settings.MEDIA_URL not in html and document.file.name not in html
    # And the file's own address answers nothing
    assert client.get(settings.MEDIA_URL + document.file.name).status_code == 404


def test_download_needs_personal_access(world, client_for):
    document = PartnershipDocument(project=world.project, title="Avtal")
    document.file.save("x.pdf", SimpleUploadedFile("x.pdf", real_pdf()), save=True)
    address = url("document", world.project, document_id=document.pk)
    assert client_for(world.county_officer).get(address).status_code == 403
    assert client_for(world.outsider).get(address).status_code == 404
    assert client_for(world.project_viewer).get(address).status_code == 200


def test_html_renamed_to_pdf_is_refused_with_a_clear_message(world, client_for):
    before = _stored_files()
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    response = client_for(world.coach).post(url("document_upload", world.project), {
        "title": "Avtal", "file": SimpleUploadedFile("avtal.pdf", html, "application/pdf")})
    assert response.status_code == 200
    assert field_errors(response, "file") == [str(DOCUMENT_NOT_PDF)]
    assert not PartnershipDocument.objects.exists()
    assert _stored_files() == before


def test_a_pdf_over_20_mb_is_refused(world, client_for):
    # Given a file that starts like a PDF but is one byte over the limit
    limit = 20 * 1024 * 1024
    big = SimpleUploadedFile("stor.pdf", b"%PDF-1.7\n" + b"0" * (limit - 8), "application/pdf")
    assert big.size == limit + 1
    before = _stored_files()
    response = client_for(world.coach).post(url("document_upload", world.project), {"title": "Stor", "file": big})
    assert response.status_code == 200
    assert field_errors(response, "file") == [str(DOCUMENT_TOO_LARGE) % {"mb": 20}]
    assert not PartnershipDocument.objects.exists()
    assert _stored_files() == before


def test_a_missing_title_stores_nothing(world, client_for):
    before = _stored_files()
    response = client_for(world.coach).post(url("document_upload", world.project), {
        "title": "", "file": SimpleUploadedFile("a.pdf", real_pdf())})
    assert response.status_code == 200 and field_errors(response, "title")
    assert not PartnershipDocument.objects.exists() and _stored_files() == before


def test_removing_a_document_deletes_the_file_after_commit(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.coach)
    client.post(url("document_upload", world.project), {"title": "Avtal", "file": SimpleUploadedFile("a.pdf", real_pdf())})
    document = PartnershipDocument.objects.get()
    path = document.file.path
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("document_delete", world.project, document_id=document.pk))
    assert response.status_code == 302
    assert not PartnershipDocument.objects.exists()
    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(action="document.removed").exists()


# ------------------------------------------------------------------------------------------------
# Summary, query counts, evidence
# ------------------------------------------------------------------------------------------------
def test_summary_counts_actors_per_category_without_names(world):
    # Given actors of three categories
    for category in ("polis", "fastighetsagare", "fastighetsagare", "naringsidkare"):
        ActorFactory(project=world.project, category=category)
    ActorFactory(project=world.other_project, category="polis")
    group = PartnershipGroupFactory(project=world.project)
    PartnershipGroupFactory(project=world.project, kind=PartnershipGroup.Kind.WORKING)
    GroupMember.objects.create(group=group, user=world.member)
    # When the summary is read
    summary = partnership_summary(project=world.project)
    # Then it holds numbers per category in the order of SPEC §4.3, and no names
    assert [(c.category, c.count) for c in summary.categories] == [
        ("fastighetsagare", 2), ("naringsidkare", 1), ("polis", 1)]
    assert (summary.actors, summary.groups, summary.groups_with_members, summary.documents) == (4, 2, 1, 0)


def _grow(project, size: int, member_user) -> None:
    for _ in range(size):
        actor = ActorFactory(project=project)
        contacts = [ActorContactFactory(actor=actor) for _ in range(2)]
        group = PartnershipGroupFactory(project=project)
        for contact in contacts:
            GroupMember.objects.create(group=group, contact=contact)
        GroupMember.objects.create(group=group, user=member_user, role=GroupMember.Role.CHAIR)
        document = PartnershipDocument(project=project, title="Avtal", uploaded_by=member_user)
        document.file.save("a.pdf", SimpleUploadedFile("a.pdf", b"%PDF-1.7"), save=True)


def test_partnership_page_queries_do_not_grow_with_the_partnership(world, client_for):
    client = client_for(world.coach)
    _grow(world.project, 1, world.member)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("partnership", world.project)).status_code == 200
    # When the partnership grows tenfold
    _grow(world.project, 9, world.member)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("partnership", world.project))
    # Then the page needs exactly as many queries
    assert len(response.context["overview"].actors) == 10
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_partnership_evidence_is_done_with_a_staffed_steering_or_working_group(world):
    assert evidence.is_registered("partnership")
    # Given no groups, Then not done, and the link leads to the partnership page
    [link] = partnership_evidence(world.project)
    assert not link.done and link.url == url("partnership", world.project)
    # Given an "other" group with members, Then still not done
    GroupMemberFactory(group=PartnershipGroupFactory(project=world.project, kind=PartnershipGroup.Kind.OTHER))
    assert not partnership_evidence(world.project)[0].done
    # Given a steering group without members, Then still not done
    steering = PartnershipGroupFactory(project=world.project, kind=PartnershipGroup.Kind.STEERING)
    assert not partnership_evidence(world.project)[0].done
    # When someone joins it, Then done
    GroupMember.objects.create(group=steering, user=UserFactory())
    assert partnership_evidence(world.project)[0].done
    # And through the registry the same
    assert evidence.evidence_for(project=world.project, kinds={"partnership"})["partnership"][0].done
    # Another project's groups do not count for this one
    assert not partnership_evidence(ProjectFactory())[0].done
