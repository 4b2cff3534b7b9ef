"""Form and confirmation pages shared by the projects app's simple create/edit/delete views
(partnership, goals, joint case, coaching log): one service call per POST, errors beside the fields."""
from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from trygga_platser.tenancy.access import Perm, project_get_for_user

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
