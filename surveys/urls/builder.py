"""URLs: the survey builder (SPEC §5.1): the project's surveys, a survey's settings, questions,
answer options, display conditions and preview."""
from django.urls import path

from ..views import builder as views
from ..views import builder_options as option_views

_BASE = "projekt/<int:project_id>/enkater/"
_SURVEY = _BASE + "<int:survey_id>/"
_QUESTION = _SURVEY + "fragor/<int:question_id>/"
_OPTION = _SURVEY + "alternativ/<int:option_id>/"

urlpatterns: list = [
    path(_BASE, views.survey_list, name="list"),
    path(_BASE + "ny/", views.survey_create, name="create"),
    path(_SURVEY, views.survey_detail, name="detail"),
    path(_SURVEY + "installningar/", views.survey_settings, name="settings"),
    path(_SURVEY + "forhandsvisning/", views.survey_preview, name="preview"),
    path(_SURVEY + "ta-bort/", views.survey_delete, name="delete"),
    path(_SURVEY + "fragor/", views.builder, name="builder"),
    path(_SURVEY + "fragor/ny/", views.question_add, name="question_add"),
    path(_QUESTION, views.question_edit, name="question_edit"),
    path(_QUESTION + "flytta/", views.question_move, name="question_move"),
    path(_QUESTION + "ta-bort/", views.question_delete, name="question_delete"),
    path(_QUESTION + "villkor/", views.question_condition, name="question_condition"),
    path(_QUESTION + "alternativ/ny/", option_views.option_add, name="option_add"),
    path(_OPTION, option_views.option_edit, name="option_edit"),
    path(_OPTION + "flytta/", option_views.option_move, name="option_move"),
    path(_OPTION + "ta-bort/", option_views.option_delete, name="option_delete"),
]
