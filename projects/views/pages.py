"""Pages shared by simple views across the apps: the form and confirmation pages of the projects
app's create/edit/delete views (partnership, goals, joint case, coaching log) – one service call per
POST, errors beside the fields – and the two-step CSV import (action plan, crime statistics)."""
from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from trygga_platser.tenancy.access import Perm, project_get_for_user
from trygga_platser.uploads.csv_upload import upload_token_make

FORM_TEMPLATE = "projects/partnership/form.html"
CONFIRM_TEMPLATE = "projects/partnership/confirm.html"


def form_add_errors(form: Form, exc: ValidationError) -> None:
    """Put a service's errors next to the form's fields, or above the form for the others."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_page(request: HttpRequest, *, project, form: Form, save: Callable[[dict], Any], success_url: Callable[[Any], str],
              success_message: str, heading: str, cancel_url: str, active: str, **extra: Any) -> HttpResponse:
    """GET shows the form; a valid POST calls `save` (one service) and redirects; errors re-render."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, success_message)
            return redirect(success_url(obj))
    context = {"project": project, "form": form, "heading": heading, "cancel_url": cancel_url, "active": active,
               **extra}
    return render(request, FORM_TEMPLATE, context)


def confirm_page(request: HttpRequest, *, project, delete: Callable[[], None], success_message: str, heading: str,
                 question: str, back_url: str, active: str, consequence: str = "") -> HttpResponse:
    """GET asks (works without JavaScript); POST removes and goes back."""
    if request.method == "POST":
        delete()
        messages.success(request, success_message)
        return redirect(back_url)
    return render(request, CONFIRM_TEMPLATE, {
        "project": project, "heading": heading, "question": question, "consequence": consequence,
        "cancel_url": back_url, "active": active,
    })


def post_data(request: HttpRequest):
    """The submitted data for a POST (even an empty one, so its errors show), None for a GET."""
    return request.POST if request.method == "POST" else None


def section_url(project, name: str, anchor: str = "") -> str:
    """A project page (`projects:<name>`), optionally at an anchor."""
    url = reverse(f"projects:{name}", kwargs={"project_id": project.pk})
    return f"{url}#{anchor}" if anchor else url


def editable_project(request: HttpRequest, project_id: int):
    """The project for a change to its content (Perm.EDIT), through the access module."""
    return project_get_for_user(user=request.user, project_id=project_id, perm=Perm.EDIT)


def csv_import_page(request: HttpRequest, *, project, template: str, context: dict[str, Any],
                    upload_form: type[Form], confirm_form: type, preview: Callable[[bytes], Any],
                    commit: Callable[[bytes], Any], success_message: Callable[[Any], str],
                    done_url: str) -> HttpResponse:
    """A CSV import in two steps, nothing stored before the second.

    1. Upload: `preview(data)` says row by row what the file would do; without errors and with
       changes, the page offers a confirmation carrying the bytes signed for this person and project
       (`confirm_form`, an UploadConfirmForm).
    2. Confirm: `commit(data)` stores all or nothing; a ValidationError (the data changed since the
       preview) shows the file again as it reads now. A preview with errors answers 400.
    """
    context = {"project": project, **context}
    owner = {"project_id": project.pk, "user_id": request.user.pk}
    if request.method == "POST" and "token" in request.POST:
        confirm = confirm_form(request.POST, **owner)
        if not confirm.is_valid():
            context.update(form=upload_form(), token_errors=confirm.errors.get("token"))
            return render(request, template, context, status=400)
        data = confirm.cleaned_data["token"]
        try:
            result = commit(data)
        except ValidationError as error:
            context.update(preview=preview(data), commit_errors=error.messages, form=upload_form())
            return render(request, template, context, status=400)
        messages.success(request, success_message(result))
        return redirect(done_url)
    if request.method == "POST":
        form = upload_form(request.POST, request.FILES)
        if not form.is_valid():
            context["form"] = form
            return render(request, template, context, status=400)
        data = form.cleaned_data["file"].read()
        shown = preview(data)
        context.update(preview=shown, form=upload_form())
        if not shown.has_errors and shown.has_changes:
            context["confirm"] = confirm_form(initial={"token": upload_token_make(data=data, salt=confirm_form.salt,
                                                                                  **owner)}, **owner)
        return render(request, template, context, status=400 if shown.has_errors else 200)
    context["form"] = upload_form()
    return render(request, template, context)
