"""Writes of personal survey invitations (SPEC §5.2, §10).

An invitation is an address, a stakeholder category and an unguessable token (the model's
default). People are invited by picking project members or by pasting/uploading a list of
`email;category` lines; a list is taken all or nothing, with every wrong line reported by its line
number first.

Invitations go out through the outbox under the key ``survey-invitation:<id>`` (so never twice) and
only while the survey is open: the invitations of a survey that opens later are queued by the daily
task on the day it opens (`invitations_send_due`). `sent_at` is set by a conditional UPDATE in the
same transaction as the outbox row, so two runs cannot both send one invitation.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from trygga_platser.audit.services import audit_record
from trygga_platser.notifications.services import email_queue
from trygga_platser.tenancy.models import StakeholderCategory
from trygga_platser.uploads.csv_upload import CsvPreview, csv_decode

from ..models import Invitation, Survey

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
LANGUAGES = {code for code, _name in settings.LANGUAGES}

LIST_EMPTY = _("The list is empty.")
LIST_TOO_LARGE = _("The file is too large (at most 1 MB).")
LIST_TOO_MANY_ROWS = _("The list has too many rows (at most 2,000 addresses).")
LIST_NOT_TEXT = _("The file could not be read as text. Save it from Excel as “CSV UTF-8”.")
LIST_HAS_ERRORS = _("Nobody was invited: correct the lines with errors and try again.")
ROW_BAD_EMAIL = _("“%(value)s” is not an e-mail address.")
ROW_UNKNOWN_CATEGORY = _("Unknown stakeholder category “%(value)s”; use one of %(choices)s.")
ROW_UNKNOWN_LANGUAGE = _("Unknown language “%(value)s”; use sv or en.")
ROW_DUPLICATE = _("%(email)s is also on line %(line)s.")
ROW_ALREADY_INVITED = _("%(email)s is already invited to this survey.")
NOTHING_CHOSEN = _("Choose at least one person to invite.")
ALREADY_INVITED = _("Already invited: %(emails)s.")
DUPLICATE_ADDRESSES = _("The same address twice: %(emails)s.")
INVALID_ADDRESSES = _("Not e-mail addresses: %(emails)s.")
INVALID_CATEGORY = _("Unknown stakeholder category: %(value)s.")
INVITATION_USED = _("The invitation has been answered and cannot be removed.")
SURVEY_CLOSED = _("The survey is closed; no more invitations can be added.")

# First cells that mark the first line as a header rather than an address.
HEADER_EMAIL_NAMES = {"email", "e-mail", "e-post", "epost", "mail", "adress", "address", "e-postadress"}


# ------------------------------------------------------------------------------------------------
# Reading a pasted or uploaded list
# ------------------------------------------------------------------------------------------------

@dataclass
class ListRow:
    line: int
    email: str
    category: str = StakeholderCategory.OTHER
    language: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ListPreview(CsvPreview):
    rows: list[ListRow] = field(default_factory=list)


def category_names() -> dict[str, str]:
    """Every accepted spelling of a stakeholder category (code, Swedish and English label) → code."""
    names: dict[str, str] = {}
    for language in LANGUAGES:
        with translation.override(language):
            names.update({str(label).casefold(): code for code, label in StakeholderCategory.choices})
    names.update({code.casefold(): code for code in StakeholderCategory.values})
    return names


def category_resolve(value: str, names: dict[str, str] | None = None) -> str | None:
    """A StakeholderCategory value from its code or its label in Swedish or English (any case)."""
    wanted = value.strip().casefold()
    if not wanted:
        return StakeholderCategory.OTHER
    return (names or category_names()).get(wanted)


def _is_header(cell: str) -> bool:
    """A first line such as "e-post;kategori": a name, not an address (which has "@" and a dot)."""
    cell = cell.strip().casefold()
    return cell in HEADER_EMAIL_NAMES or ("@" not in cell and "." not in cell)


def invitation_list_read(*, survey: Survey, data: bytes | str) -> ListPreview:
    """Parse `email;category[;language]` lines (`;`, `,` or tab; header and BOM optional) and check
    each against the survey's invitations. Stores nothing."""
    preview = ListPreview()
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            preview.file_errors.append(str(LIST_TOO_LARGE))
            return preview
        text = csv_decode(data)
        if text is None:
            preview.file_errors.append(str(LIST_NOT_TEXT))
            return preview
    else:
        text = data
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        preview.file_errors.append(str(LIST_EMPTY))
        return preview
    first = next(line for line in lines if line.strip())
    # Swedish Excel writes semicolons, others commas; neither appears in an address or a category.
    delimiter = max(";,\t", key=first.count)
    rows = [(number, cells) for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""),
                                                                        delimiter=delimiter), start=1)
            if any(cell.strip() for cell in cells)]
    if rows and _is_header(rows[0][1][0]):
        rows = rows[1:]
    if not rows:
        preview.file_errors.append(str(LIST_EMPTY))
        return preview
    if len(rows) > MAX_ROWS:
        preview.file_errors.append(str(LIST_TOO_MANY_ROWS))
        return preview
    invited = {e.casefold() for e in survey.invitations.values_list("email", flat=True)}
    seen: dict[str, int] = {}
    choices = ", ".join(code for code, _label in StakeholderCategory.choices)
    names = category_names()
    for number, cells in rows:
        cells = [c.strip() for c in cells] + ["", ""]
        row = ListRow(line=number, email=cells[0].casefold())
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(str(ROW_BAD_EMAIL % {"value": cells[0]}))
        category = category_resolve(cells[1], names)
        if category is None:
            row.errors.append(str(ROW_UNKNOWN_CATEGORY % {"value": cells[1], "choices": choices}))
        else:
            row.category = category
        if cells[2]:
            if cells[2].lower() in LANGUAGES:
                row.language = cells[2].lower()
            else:
                row.errors.append(str(ROW_UNKNOWN_LANGUAGE % {"value": cells[2]}))
        if row.email in seen:
            row.errors.append(str(ROW_DUPLICATE % {"email": row.email, "line": seen[row.email]}))
        else:
            seen[row.email] = number
        if row.email in invited:
            row.errors.append(str(ROW_ALREADY_INVITED % {"email": row.email}))
        preview.rows.append(row)
    return preview


# ------------------------------------------------------------------------------------------------
# Creating, deleting
# ------------------------------------------------------------------------------------------------

def invitations_create(*, survey: Survey, user, rows: list[tuple]) -> list[Invitation]:
    """Invite `rows` of (email, category, user or None[, language]): all or none.

    Raises ValidationError naming the addresses that are wrong, twice in `rows` or already invited.
    When the survey is open the invitations are sent after commit.
    """
    if not rows:
        raise ValidationError(NOTHING_CHOSEN)
    if survey.state() == Survey.State.CLOSED:
        raise ValidationError(SURVEY_CLOSED)
    valid_categories = set(StakeholderCategory.values)
    prepared: list[Invitation] = []
    bad, twice, bad_category = [], [], []
    seen: set[str] = set()
    for row in rows:
        email, category, member = row[0], row[1], row[2]
        language = row[3] if len(row) > 3 else ""
        email = (email or "").strip().casefold()
        try:
            validate_email(email)
        except ValidationError:
            bad.append(email or "–")
        if category not in valid_categories:
            bad_category.append(str(category))
        if email in seen:
            twice.append(email)
        seen.add(email)
        language = language or getattr(member, "language", "") or settings.LANGUAGE_CODE
        prepared.append(Invitation(survey=survey, email=email, category=category, user=member,
                                   language=language if language in LANGUAGES else settings.LANGUAGE_CODE))
    errors = []
    if bad:
        errors.append(INVALID_ADDRESSES % {"emails": ", ".join(bad)})
    if bad_category:
        errors.append(INVALID_CATEGORY % {"value": ", ".join(sorted(set(bad_category)))})
    if twice:
        errors.append(DUPLICATE_ADDRESSES % {"emails": ", ".join(sorted(set(twice)))})
    with transaction.atomic():
        # Locking the survey serialises two coordinators inviting at once (the unique constraint
        # would otherwise surface as an IntegrityError).
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        existing = set(Invitation.objects.filter(survey=survey, email__in=seen).values_list("email", flat=True))
        if existing:
            errors.append(ALREADY_INVITED % {"emails": ", ".join(sorted(existing))})
        if errors:
            raise ValidationError(errors)
        created = Invitation.objects.bulk_create(prepared)
        if not all(i.pk for i in created):  # backends that do not return ids from a bulk insert
            created = list(Invitation.objects.filter(survey=survey, email__in=seen))
        audit_record(project=survey.project, actor=user, action="survey.invited", target=survey,
                     summary=_gettext("Invited %(count)s people to the survey “%(title)s”.") % {
                         "count": len(created), "title": survey.title})
        if survey.is_open():
            invitations_send_later(survey=survey)
    return created


def invitation_delete(*, invitation: Invitation, user) -> None:
    """Remove an invitation that has not been answered (its link stops working)."""
    with transaction.atomic():
        deleted, _rows = Invitation.objects.filter(pk=invitation.pk, used_on__isnull=True).delete()
        if not deleted:
            raise ValidationError(INVITATION_USED)
        audit_record(project=invitation.survey.project, actor=user, action="survey.invitation_deleted",
                     target=invitation.survey,
                     summary=_gettext("Removed an invitation to the survey “%(title)s”.") % {
                         "title": invitation.survey.title})


# ------------------------------------------------------------------------------------------------
# Sending
# ------------------------------------------------------------------------------------------------

def invitation_url(invitation: Invitation) -> str:
    """The invitee's personal link, absolute (SITE_URL, like the other e-mails)."""
    return settings.SITE_URL + reverse("surveys:invitation", kwargs={"token": invitation.token})


def public_url(survey: Survey) -> str:
    """The survey's public link, absolute: what the QR code and the poster carry."""
    return settings.SITE_URL + reverse("surveys:respond", kwargs={"token": survey.public_token})


def minutes_estimate(question_count: int) -> int:
    """About 20 seconds a question, never less than two minutes: what the invitation promises."""
    return max(2, math.ceil(question_count / 3))


def invitation_email_queue(*, invitation: Invitation, survey: Survey, question_count: int,
                           reminder: int = 0) -> bool:
    """Render and queue the invitation (reminder=0) or its n-th reminder, in the invitee's language."""
    key = f"survey-reminder:{invitation.pk}:{reminder}" if reminder else f"survey-invitation:{invitation.pk}"
    project = survey.project
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        title = survey.localized_title()
        if reminder:
            subject = _gettext("Reminder: %(title)s – %(municipality)s would like your answers") % {
                "title": title, "municipality": project.municipality.name}
        else:
            subject = _gettext("%(municipality)s asks about %(place)s: %(title)s") % {
                "municipality": project.municipality.name, "place": project.place_name or project.name,
                "title": title}
        context = {
            "survey": survey,
            "title": title,
            "intro": survey.localized_intro(),
            "project": project,
            "url": invitation_url(invitation),
            "minutes": minutes_estimate(question_count),
            "closes_on": survey.closes_on,
            "reminder": reminder,
        }
        _email, created = email_queue(
            key=key, to=invitation.email, subject=subject,
            text=render_to_string("surveys/email/invitation.txt", context),
            html=render_to_string("surveys/email/invitation.html", context),
        )
    return created


def invitations_send(*, survey_id: int, today: date | None = None) -> int:
    """Queue the not yet sent invitations of an open survey; returns how many. Safe to repeat."""
    today = today or timezone.localdate()
    survey = Survey.objects.select_related("project__municipality").filter(pk=survey_id).first()
    if survey is None or not survey.is_open(today):
        return 0
    question_count = survey.questions.count()
    queued = 0
    for invitation in Invitation.objects.filter(survey=survey, sent_at__isnull=True, used_on__isnull=True).order_by("pk"):
        with transaction.atomic():
            claimed = Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now())
            if claimed:
                queued += invitation_email_queue(invitation=invitation, survey=survey, question_count=question_count)
    return queued


def invitations_send_later(*, survey: Survey) -> None:
    """Send the survey's pending invitations from a worker once the current transaction commits."""
    from ..tasks import survey_invitations_send

    survey_invitations_send.delay_on_commit(survey.pk)


def open_surveys_q(today: date, prefix: str = "") -> Q:
    """Published surveys open on `today` (the same rule as Survey.state())."""
    return (
        Q(**{f"{prefix}published_at__isnull": False})
        & (Q(**{f"{prefix}opens_on__isnull": True}) | Q(**{f"{prefix}opens_on__lte": today}))
        & (Q(**{f"{prefix}closes_on__isnull": True}) | Q(**{f"{prefix}closes_on__gte": today}))
    )


def invitations_send_due(*, today: date | None = None) -> int:
    """Daily: the invitations of surveys that have opened since they were added (scheduled ones)."""
    today = today or timezone.localdate()
    survey_ids = (Invitation.objects.filter(open_surveys_q(today, "survey__"), sent_at__isnull=True,
                                            used_on__isnull=True)
                  .values_list("survey_id", flat=True).distinct().order_by("survey_id"))
    return sum(invitations_send(survey_id=survey_id, today=today) for survey_id in list(survey_ids))
