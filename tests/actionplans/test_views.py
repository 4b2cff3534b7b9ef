"""The action plan pages (SPEC §7.2): permissions per role, creating from an observation, progress
with photos, the "is it done?" flow, the board with and without htmx, and flat query counts."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from actionplans.models import Action, ActionFinding, ActionUpdate
from actionplans.services.actions import DUE_BEFORE_START, NOTE_REQUIRED, TITLE_REQUIRED
from projects.models import Meeting, Observation, WorkArea
from trygga_platser.uploads.photos import PHOTO_NOT_IMAGE

from .factories import ActionFactory, ActionUpdateFactory

pytestmark = pytest.mark.django_db


def url(name, project, action=None, **extra):
    kwargs = {"project_id": project.pk, **extra}
    if action is not None:
        kwargs["action_id"] = action.pk
    return reverse(f"actionplans:{name}", kwargs=kwargs)


def _image(fmt="PNG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def _observation(project) -> Observation:
    start = timezone.now() - timedelta(days=3)
    meeting = Meeting.objects.create(project=project, kind=Meeting.Kind.SITE_WALK, title="Kvällsvandring",
                                     starts_at=start, ends_at=start + timedelta(hours=2), location="Torget")
    return Observation.objects.create(meeting=meeting, text="Mörk gångtunnel under järnvägen",
                                      category=WorkArea.SAFETY, lon=16.17, lat=60.14)


def _form(**overrides) -> dict:
    data = {"title": "Byt belysning i tunneln", "description": "", "category": WorkArea.SAFETY, "lon": "", "lat": "",
            "responsible_organisation": "Avesta kommun", "responsible": "", "impact": "3", "effort": "1",
            "horizon": "short", "goal": "", "start_date": "", "due_date": "", "status": "planned",
            "cost_estimate": "", "funding": "", "joint_case": ""}
    data.update(overrides)
    return data


# --- the list -------------------------------------------------------------------------------------

def test_the_list_shows_actions_kpi_and_filters(world, client_for):
    # Given one overdue safety action and one done cleanliness action
    today = timezone.localdate()
    overdue = ActionFactory(project=world.project, title="Lampor i tunneln", responsible=world.member,
                            due_date=today - timedelta(days=2))
    ActionFactory(project=world.project, title="Klotter bort", category=WorkArea.CLEANLINESS, status=Action.Status.DONE)
    client = client_for(world.project_coordinator)

    # When the coordinator opens the list
    response = client.get(url("list", world.project))

    # Then both are listed, the KPI says 50 %, one overdue, with a text marker (not colour only)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lampor i tunneln" in html and "Klotter bort" in html
    assert "50 %" in html
    assert response.context["kpi"].overdue == 1
    assert "⚠" in html and 'class="overdue"' in html
    assert world.member.get_full_name() in html

    # And the "overdue only" filter (a plain GET) keeps only the overdue one
    response = client.get(url("list", world.project), {"overdue": "on"})
    assert [a.pk for a in response.context["actions"]] == [overdue.pk]
    # And the text search and category filters work too
    response = client.get(url("list", world.project), {"q": "klotter"})
    assert [a.title for a in response.context["actions"]] == ["Klotter bort"]
    response = client.get(url("list", world.project), {"category": WorkArea.SAFETY, "status": "open"})
    assert [a.pk for a in response.context["actions"]] == [overdue.pk]
    response = client.get(url("list", world.project), {"responsible": world.member.pk})
    assert [a.pk for a in response.context["actions"]] == [overdue.pk]


def test_the_county_officer_reads_the_list_without_names(world, client_for):
    # Given an action with a responsible person and organisation
    action = ActionFactory(project=world.project, responsible=world.member, responsible_organisation="Polisen")
    client = client_for(world.county_officer)

    # When the county board officer opens the list
    response = client.get(url("list", world.project))

    # Then they see the action and the organisation, but not the person, and no responsible filter
    html = response.content.decode()
    assert response.status_code == 200
    assert action.title in html and "Polisen" in html
    assert world.member.get_full_name() not in html and world.member.email not in html
    assert "responsible" not in response.context["form"].fields
    # And no "new action" link
    assert url("create", world.project) not in html


@pytest.mark.parametrize("name", ["create", "edit", "delete"])
def test_the_county_officer_and_member_cannot_edit(world, client_for, name):
    # Given an action
    action = ActionFactory(project=world.project, responsible=world.member)
    target = url(name, world.project) if name == "create" else url(name, world.project, action)
    for user in (world.county_officer, world.member, world.project_viewer):
        # When someone without EDIT asks for the page or posts to it
        client = client_for(user)
        # Then it is forbidden and nothing changes
        assert client.get(target).status_code == 403
        assert client.post(target, _form(title="Kapat")).status_code == 403
    assert Action.objects.filter(project=world.project).count() == 1
    assert Action.objects.get(pk=action.pk).title == action.title


def test_the_county_officer_cannot_post_progress_or_move(world, client_for):
    # Given an action
    action = ActionFactory(project=world.project, responsible=world.member)
    client = client_for(world.county_officer)

    # When the county officer posts progress or moves it on the board
    progress = client.post(url("action", world.project, action), {"note": "Klart", "status": "done"})
    move = client.post(url("move", world.project, action), {"status": "done", "back": "board"})

    # Then both are forbidden and nothing is stored
    assert progress.status_code == 403 and move.status_code == 403
    assert not ActionUpdate.objects.exists()
    assert Action.objects.get(pk=action.pk).status == Action.Status.PLANNED


def test_the_county_officer_reads_an_action_without_names_notes_or_photos(world, client_for):
    # Given an action with a progress update carrying a note
    action = ActionFactory(project=world.project, responsible=world.member, responsible_organisation="Polisen")
    ActionUpdateFactory(action=action, author=world.member, note="Pratade med fastighetsägaren Nilsson")
    client = client_for(world.county_officer)

    # When the county officer opens the action
    response = client.get(url("action", world.project, action))

    # Then the facts are there, but not the person, the free-text note or the progress form
    html = response.content.decode()
    assert response.status_code == 200
    assert action.title in html and "Polisen" in html
    assert world.member.get_full_name() not in html
    assert "Nilsson" not in html
    assert 'name="note"' not in html


# --- create and edit --------------------------------------------------------------------------------

def test_the_coach_creates_an_action_with_every_field(world, client_for):
    # Given a coach of the project
    client = client_for(world.coach)

    # When they post a complete action assigned to the police member
    response = client.post(url("create", world.project), _form(
        responsible=world.member.pk, due_date="2026-12-01", start_date="2026-09-01", lon="16.17", lat="60.14",
        cost_estimate="25000", funding="Kommunens budget"))

    # Then it is stored with its number and fields, and the page redirects to it
    action = Action.objects.get(project=world.project)
    assert response.status_code == 302 and response["Location"] == url("action", world.project, action)
    assert (action.code, action.responsible, action.impact, action.effort, action.priority) == (
        "A1", world.member, 3, 1, 1)
    assert action.cost_estimate == 25000 and action.lat == pytest.approx(60.14)


def test_the_responsible_persons_organisation_fills_an_empty_organisation(world, client_for):
    # Given the police member's organisation as recorded in the project
    world.project.memberships.filter(user=world.member).update(organisation_name="Polisen Avesta")
    client = client_for(world.project_coordinator)
    # When an action is assigned to them without an organisation typed in
    client.post(url("create", world.project), _form(responsible=world.member.pk, responsible_organisation=""))
    # Then the action names their organisation (what the county board sees instead of the name)
    assert Action.objects.get(project=world.project).responsible_organisation == "Polisen Avesta"


def test_the_coach_edits_an_action(world, client_for):
    # Given an action
    action = ActionFactory(project=world.project)
    client = client_for(world.coach)

    # When the coach opens and saves the edit form
    assert client.get(url("edit", world.project, action)).status_code == 200
    response = client.post(url("edit", world.project, action), _form(title="Ny titel", status="in_progress"))
    assert response.status_code == 302, response.context and response.context["form"].errors

    # Then the change is stored
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.status) == ("Ny titel", Action.Status.IN_PROGRESS)


@pytest.mark.parametrize("data, field, message", [
    ({"title": ""}, "title", TITLE_REQUIRED),
    ({"start_date": "2026-10-01", "due_date": "2026-09-01"}, "due_date", DUE_BEFORE_START),
])
def test_bad_input_gives_a_message_and_stores_nothing(world, client_for, data, field, message):
    # Given the coordinator
    client = client_for(world.project_coordinator)

    # When they post an invalid action
    response = client.post(url("create", world.project), _form(**data))

    # Then the form comes back with the message on the field, and no action is stored
    assert response.status_code == 200
    assert str(message) in response.content.decode() or str(message) in str(response.context["form"].errors)
    assert field in response.context["form"].errors
    assert not Action.objects.exists()


def test_the_responsible_person_must_be_a_member(world, client_for):
    # Given a person who is not in the project
    client = client_for(world.project_coordinator)

    # When the coordinator tries to make them responsible
    response = client.post(url("create", world.project), _form(responsible=world.outsider.pk))

    # Then the choice is refused and nothing is stored
    assert response.status_code == 200 and "responsible" in response.context["form"].errors
    assert not Action.objects.exists()


def test_creating_from_an_observation_prefills_keeps_the_link_and_marks_it(world, client_for):
    # Given an observation from a site walk in the project
    observation = _observation(world.project)
    client = client_for(world.project_coordinator)
    create = url("create", world.project) + f"?observation={observation.pk}"

    # When the coordinator opens "turn into an action"
    response = client.get(create)

    # Then the form is pre-filled from the observation
    form = response.context["form"]
    assert form.initial["title"] == observation.text and form.initial["category"] == WorkArea.SAFETY
    assert form.initial["lon"] == pytest.approx(16.17)

    # When they save it
    response = client.post(create, _form(title=observation.text, lon="16.17", lat="60.14"))

    # Then the action keeps the link and the observation says it became this action
    action = Action.objects.get(project=world.project)
    assert response.status_code == 302
    finding = ActionFinding.objects.get(action=action)
    assert (finding.kind, finding.ref) == (ActionFinding.Kind.OBSERVATION, str(observation.pk))
    observation.refresh_from_db()
    assert observation.finding_status == Observation.FindingStatus.ACTION and observation.action_ref == "A1"
    # And the action page links the observation to its meeting
    html = client.get(url("action", world.project, action)).content.decode()
    assert reverse("projects:meeting", kwargs={"project_id": world.project.pk,
                                               "meeting_id": observation.meeting_id}) in html


def test_an_observation_of_another_project_is_404(world, client_for):
    # Given an observation in another municipality's project
    observation = _observation(world.other_project)
    client = client_for(world.project_coordinator)

    # When it is named in the create URL of the own project, then it is not found
    assert client.get(url("create", world.project) + f"?observation={observation.pk}").status_code == 404
    assert client.get(url("create", world.project) + "?observation=x").status_code == 404


def test_the_meeting_page_offers_turn_into_an_action_to_editors_only(world, client_for):
    # Given an observation on a site walk
    observation = _observation(world.project)
    meeting_url = reverse("projects:meeting", kwargs={"project_id": world.project.pk,
                                                      "meeting_id": observation.meeting_id})
    link = url("create", world.project) + f"?observation={observation.pk}"

    # Then the coordinator sees the link and a member does not
    assert link in client_for(world.project_coordinator).get(meeting_url).content.decode()
    assert link not in client_for(world.member).get(meeting_url).content.decode()


def test_deleting_asks_first_then_deletes(world, client_for):
    # Given an action
    action = ActionFactory(project=world.project)
    client = client_for(world.project_coordinator)

    # When the coordinator opens the delete page, it asks; when they confirm, it is gone
    confirm = client.get(url("delete", world.project, action)).content.decode()
    assert 'method="post"' in confirm and action.title in confirm
    assert Action.objects.filter(pk=action.pk).exists()
    response = client.post(url("delete", world.project, action))
    assert response.status_code == 302 and response["Location"] == url("list", world.project)
    assert not Action.objects.filter(pk=action.pk).exists()


# --- progress -------------------------------------------------------------------------------------

def test_a_member_updates_only_their_own_actions(world, client_for):
    # Given one action the police member is responsible for and one they are not
    own = ActionFactory(project=world.project, responsible=world.member)
    other = ActionFactory(project=world.project, responsible=world.project_coordinator)
    client = client_for(world.member)

    # When they post progress on their own, it is saved
    response = client.post(url("action", world.project, own), {"note": "Beställt", "status": "in_progress"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == Action.Status.IN_PROGRESS
    assert ActionUpdate.objects.get(action=own).author == world.member

    # And the page of the other shows no form, and posting to it or moving it is forbidden
    assert 'name="note"' not in client.get(url("action", world.project, other)).content.decode()
    assert client.post(url("action", world.project, other), {"note": "Hej"}).status_code == 403
    assert client.post(url("move", world.project, other), {"status": "done"}).status_code == 403
    assert not ActionUpdate.objects.filter(action=other).exists()


def test_progress_without_a_note_is_refused(world, client_for):
    action = ActionFactory(project=world.project, responsible=world.member)
    client = client_for(world.member)
    # When the member posts an empty update
    response = client.post(url("action", world.project, action), {"note": "  ", "status": "done"})
    # Then the message says what is missing, and nothing changes
    assert response.status_code == 400
    assert str(NOTE_REQUIRED) in response.content.decode()
    assert not ActionUpdate.objects.exists()
    assert Action.objects.get(pk=action.pk).status == Action.Status.PLANNED


def test_progress_with_a_photo_is_re_encoded_and_served_privately(world, client_for):
    # Given the member's action
    action = ActionFactory(project=world.project, responsible=world.member)
    client = client_for(world.member)

    # When they post an update with a PNG photo
    photo = SimpleUploadedFile("bild.png", _image("PNG"), content_type="image/png")
    response = client.post(url("action", world.project, action), {"note": "Nya lampor", "photo": photo})

    # Then the photo is stored re-encoded as JPEG
    assert response.status_code == 302
    update = ActionUpdate.objects.get(action=action)
    with update.photo.open("rb") as stored:
        assert Image.open(stored).format == "JPEG"

    # And it is served through the access module, privately cached
    photo_url = url("update_photo", world.project, action, update_id=update.pk)
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Cache-Control"].startswith("private")
    assert served["Content-Type"] == "image/jpeg"
    # And the county board officer may not fetch it
    assert client_for(world.county_officer).get(photo_url).status_code == 403


def test_progress_with_a_non_image_is_rejected(world, client_for):
    # Given the member's action
    action = ActionFactory(project=world.project, responsible=world.member)
    client = client_for(world.member)

    # When they attach a text file as the photo
    fake = SimpleUploadedFile("bild.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(url("action", world.project, action), {"note": "Nya lampor", "photo": fake})

    # Then the update is refused with the photo message, and nothing is stored
    assert response.status_code == 400
    assert str(PHOTO_NOT_IMAGE) in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_is_it_done_opens_the_form_first_with_done_preset(world, client_for):
    # Given the member's open action, and the link from the reminder e-mail
    action = ActionFactory(project=world.project, responsible=world.member, status=Action.Status.IN_PROGRESS)
    client = client_for(world.member)

    # When they follow it
    response = client.get(url("action", world.project, action) + "?klar=1")

    # Then the "is it done?" form comes before the facts, with done preset and a note filled in
    html = response.content.decode()
    assert response.context["confirm_done"] is True
    assert html.index('id="progress"') < html.index('id="facts-heading"')
    assert response.context["form"].initial["status"] == Action.Status.DONE
    assert '<option value="done" selected>' in html

    # When they confirm with one click (the form as it was offered)
    response = client.post(url("action", world.project, action),
                           {"note": response.context["form"].initial["note"], "status": "done"})

    # Then the action is done and closed
    action.refresh_from_db()
    assert response.status_code == 302
    assert action.status == Action.Status.DONE and action.closed_at is not None


def test_is_it_done_is_an_ordinary_page_for_those_who_cannot_update(world, client_for):
    action = ActionFactory(project=world.project, responsible=world.project_coordinator)
    response = client_for(world.member).get(url("action", world.project, action) + "?klar=1")
    assert response.status_code == 200 and response.context["confirm_done"] is False


# --- board ------------------------------------------------------------------------------------------

def test_board_move_without_javascript(world, client_for):
    # Given an action on the board
    action = ActionFactory(project=world.project, responsible=world.member)
    client = client_for(world.member)
    board = client.get(url("board", world.project))
    assert board.status_code == 200 and f'id="move-{action.pk}"' in board.content.decode()

    # When the member moves it with the plain form
    response = client.post(url("move", world.project, action), {"status": "in_progress", "back": "board"})

    # Then it redirects back to the board and the move is recorded as progress
    assert response.status_code == 302 and response["Location"].startswith(url("board", world.project))
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    update = ActionUpdate.objects.get(action=action)
    assert (update.status_before, update.status_after) == ("planned", "in_progress")


def test_board_move_with_htmx_swaps_the_card_and_counts(world, client_for):
    # Given two planned actions
    action = ActionFactory(project=world.project)
    ActionFactory(project=world.project)
    client = client_for(world.coach)

    # When the coach moves one with htmx
    response = client.post(url("move", world.project, action), {"status": "done", "back": "board"},
                           HTTP_HX_REQUEST="true")

    # Then the answer is the partial: the card joins the done column, the counts update out of band
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'hx-swap-oob="afterbegin:#cards-done"' in html and f'id="action-{action.pk}"' in html
    assert '<span class="count" id="count-planned" hx-swap-oob="true">(1)</span>' in html
    assert '<span class="count" id="count-done" hx-swap-oob="true">(1)</span>' in html
    assert "HX-Request" in response["Vary"]
    assert Action.objects.get(pk=action.pk).status == Action.Status.DONE


def test_board_move_to_an_unknown_status_changes_nothing(world, client_for):
    # Given an action, when the coach posts a status that does not exist, with and without htmx
    action = ActionFactory(project=world.project)
    client = client_for(world.coach)
    plain = client.post(url("move", world.project, action), {"status": "finished", "back": "board"})
    htmx = client.post(url("move", world.project, action), {"status": "finished", "back": "board"},
                       HTTP_HX_REQUEST="true")
    # Then the plain form redirects back, htmx is told to reload, and nothing is stored
    assert plain.status_code == 302 and htmx["HX-Redirect"].startswith(url("board", world.project))
    assert Action.objects.get(pk=action.pk).status == Action.Status.PLANNED
    assert not ActionUpdate.objects.exists()


def test_board_shows_no_move_form_for_the_county_officer(world, client_for):
    action = ActionFactory(project=world.project, responsible=world.member)
    html = client_for(world.county_officer).get(url("board", world.project)).content.decode()
    assert action.title in html and f'id="move-{action.pk}"' not in html
    assert world.member.get_full_name() not in html


# --- my actions -------------------------------------------------------------------------------------

def test_my_actions_lists_own_overdue_first_and_marks_done(world, client_for):
    # Given the member's actions: one due later, one overdue, and someone else's
    today = timezone.localdate()
    later = ActionFactory(project=world.project, responsible=world.member, due_date=today + timedelta(days=20))
    overdue = ActionFactory(project=world.project, responsible=world.member, due_date=today - timedelta(days=1))
    ActionFactory(project=world.project, responsible=world.project_coordinator, title="Inte min")
    client = client_for(world.member)

    # When they open "my actions"
    response = client.get(url("mine", world.project))

    # Then they see their own, overdue first
    assert [a.pk for a in response.context["actions"]] == [overdue.pk, later.pk]
    assert "Inte min" not in response.content.decode()

    # When they mark the overdue one done
    response = client.post(url("move", world.project, overdue), {"status": "done", "back": "mine"})

    # Then it is done and they are back on "my actions"
    assert response.status_code == 302 and response["Location"] == url("mine", world.project)
    assert Action.objects.get(pk=overdue.pk).status == Action.Status.DONE


def test_my_actions_needs_membership(world, client_for):
    assert client_for(world.county_officer).get(url("mine", world.project)).status_code == 403
    assert client_for(world.project_viewer).get(url("mine", world.project)).status_code == 403


# --- query counts -----------------------------------------------------------------------------------

def _bulk_actions(project, user, count: int) -> None:
    today = timezone.localdate()
    statuses = list(Action.Status.values)
    categories = list(WorkArea.values)
    Action.objects.bulk_create([
        Action(project=project, number=n, title=f"Åtgärd {n}", category=categories[n % len(categories)],
               status=statuses[n % len(statuses)], responsible=user if n % 2 else None,
               due_date=today + timedelta(days=(n % 30) - 10))
        for n in range(1, count + 1)
    ])


@pytest.mark.parametrize("name", ["list", "board", "mine"])
def test_query_count_is_flat_as_actions_grow(world, client_for, name):
    client = client_for(world.member)
    # Given 20 actions, count the queries of the page
    _bulk_actions(world.project, world.member, 20)
    client.get(url(name, world.project))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(name, world.project)).status_code == 200

    # When there are 500
    Action.objects.filter(project=world.project).delete()
    _bulk_actions(world.project, world.member, 500)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(name, world.project))

    # Then the page asks exactly as many queries
    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_an_action_without_its_creator_can_still_be_edited(world):
    # Given an action whose creator's account is gone (or that came from a CSV import)
    from actionplans.models import Action
    from actionplans.services.actions import action_update
    from trygga_platser.tenancy.access import project_get_for_user

    project = project_get_for_user(user=world.project_coordinator, project_id=world.project.pk)
    action = Action.objects.create(project=project, number=1, title="Röj buskage", category="sakerhet")
    # When it is edited, Then the edit is saved
    action_update(user=world.project_coordinator, project=project, action=action, title="Röj buskagen vid parkeringen")
    action.refresh_from_db()
    assert action.title == "Röj buskagen vid parkeringen"
