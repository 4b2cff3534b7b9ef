"""Forms of goals (SPEC §3.8), the joint case (§3.9) and the coaching log. They parse input; the
rules live in projects/services/plans.py."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..models import Actor, Goal, JointCase
from ..selectors.partnership import project_actors
from ..selectors.plans import indicator_key_choices
from ..services.plans import NOT_A_NUMBER, TARGET_REQUIRED, short_term_deadline

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number_field(label, *, required: bool, help_text: str = "") -> forms.DecimalField:
    # localize: Swedish users type a decimal comma (12,5).
    return forms.DecimalField(
        label=label, required=required, localize=True, max_digits=8, decimal_places=2, help_text=help_text,
        error_messages={"invalid": NOT_A_NUMBER, "required": TARGET_REQUIRED},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class GoalForm(forms.Form):
    horizon = forms.ChoiceField(label=_("Horizon"), choices=Goal.Horizon.choices)
    title = forms.CharField(label=_("Goal"), max_length=300,
                            help_text=_("E.g. More people feel safe on the square in the evening."))
    indicator = forms.CharField(label=_("Indicator"), max_length=300, help_text=_(
        "What is measured, e.g. the share who feel safe in the area in the evening."))
    source = forms.ChoiceField(label=_("Measured by"), choices=Goal.Source.choices, initial=Goal.Source.MANUAL)
    comparison = forms.ChoiceField(label=_("The target is reached at"), choices=[
        (Goal.Comparison.AT_LEAST, _("at least the target (≥)")),
        (Goal.Comparison.AT_MOST, _("at most the target (≤)")),
    ])
    target_value = _number_field(_("Target"), required=True)
    unit = forms.CharField(label=_("Unit"), max_length=20, initial="%",
                           help_text=_("% for a share (0–100), or e.g. reports, actions, lamps."))
    baseline_value = _number_field(_("Baseline"), required=False, help_text=_("The value when the project started."))
    outcome_value = _number_field(_("Outcome"), required=False,
                                  help_text=_("Only for goals followed up by hand: the latest measured value."))
    due_date = forms.DateField(label=_("To be reached by"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=_("Follow-up note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Visible to the project, not to the county board."))

    field_order = ["horizon", "title", "indicator", "source", "indicator_key", "comparison", "target_value", "unit",
                   "baseline_value", "outcome_value", "due_date", "note"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].help_text = _(
            "A short-term goal is reached within 12 months of the project start, by %(date)s at the latest."
        ) % {"date": date_format(short_term_deadline(project), "j F Y")}
        # Survey indicators to pick from, once the survey app offers them (projects.selectors.plans).
        keys = indicator_key_choices(project=project, source=Goal.Source.SURVEY)
        if keys:
            self.fields["indicator_key"] = forms.ChoiceField(
                label=_("Survey indicator"), required=False, choices=[("", "–")] + keys,
                help_text=_("For goals measured by a survey indicator."))
            self.order_fields(self.field_order)


class JointCaseForm(forms.Form):
    title = forms.CharField(label=_("Name of the case"), max_length=200,
                            help_text=_("E.g. Light up the square, or a clean-up day with the shops."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    actors = forms.ModelMultipleChoiceField(label=_("Participating actors"), required=False,
                                            queryset=Actor.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(label=_("Status"), choices=JointCase.Status.choices, initial=JointCase.Status.PLANNED)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE_INPUT)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE_INPUT)
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("How it went and what the actors learnt (step 5)."))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        actors = self.fields["actors"]
        actors.queryset = project_actors(project=project)
        actors.label_from_instance = lambda actor: f"{actor.name} ({actor.get_category_display()})"
        if not actors.queryset.exists():
            actors.help_text = _("Add the partnership's actors on the partnership page first.")


class CoachingEntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=timezone.localdate)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 6}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
