"""Forms of the survey builder: they parse input; the rules live in surveys.services.builder."""
from __future__ import annotations

from typing import ClassVar

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ..bank.config import GEOMETRIES
from ..models import Question, Survey
from ..services.builder import TEXT_REQUIRED, TITLE_REQUIRED, UNKNOWN_KIND

KIND_HELP = {
    Survey.Kind.MAPPING: _("Step 1: people pin places that feel unsafe, safe or attractive, with why and when."),
    Survey.Kind.SAFETY: _("Step 2: how safe people feel, what they see as problems and what would help. "
                          "Includes the question comparable with the national safety indicator."),
    Survey.Kind.FOLLOWUP: _("Step 5: the safety survey again, matched with an earlier survey so the change "
                            "can be measured."),
    Survey.Kind.PARTNERSHIP: _("How the members see the partnership: goals, roles, meetings, trust and results."),
}
GEOMETRY_LABELS = {"point": _("Point"), "line": _("Line or route"), "area": _("Area")}
MOVE_CHOICES = [("up", _("Up")), ("down", _("Down"))]


class SurveyCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of survey"), choices=Survey.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": UNKNOWN_KIND, "invalid_choice": UNKNOWN_KIND})
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the template's title."))
    baseline = forms.ModelChoiceField(
        label=_("Baseline survey"), queryset=Survey.objects.none(), required=False,
        help_text=_("For a follow-up: the earlier survey it is compared with. Its questions are copied so the "
                    "answers can be matched."))

    def __init__(self, *args, baselines=None, **kwargs):
        super().__init__(*args, **kwargs)
        if baselines is not None:
            self.fields["baseline"].queryset = baselines
        self.kind_choices = [{"value": value, "label": label, "help": KIND_HELP.get(value, "")}
                             for value, label in Survey.Kind.choices]


class SurveySettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": TITLE_REQUIRED})
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    intro = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("Shown to respondents on the first page: who asks, why and what happens "
                                        "with the answers."))
    intro_en = forms.CharField(label=_("Introduction in English"), required=False,
                               widget=forms.Textarea(attrs={"rows": 5}))

    @classmethod
    def initial_for(cls, survey: Survey) -> dict:
        return {name: getattr(survey, name) for name in cls.base_fields}


class QuestionForm(forms.Form):
    """One question: wording in both languages, type, page and the settings of its type. The type
    and key are disabled once the survey has responses."""

    text = forms.CharField(label=_("Question"), max_length=500, error_messages={"required": TEXT_REQUIRED})
    text_en = forms.CharField(label=_("Question in English"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Question type"), choices=Question.Kind.choices, initial=Question.Kind.SINGLE)
    help_text = forms.CharField(label=_("Help text"), max_length=500, required=False)
    help_text_en = forms.CharField(label=_("Help text in English"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    page = forms.TypedChoiceField(label=_("Page"), coerce=int)
    key = forms.SlugField(label=_("Key"), max_length=60, required=False,
                          help_text=_("Names the question in exports and matches it with the baseline survey. "
                                      "Leave empty to make one from the question."))
    options_text = forms.CharField(
        label=_("Answer options"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For single and multiple choice: one option per line. Add an English version after a "
                    "vertical bar, e.g. “Ja | Yes”."))
    # Settings by type (Question.config).
    max_choices = forms.IntegerField(label=_("At most this many choices"), required=False, min_value=1,
                                     help_text=_("Multiple choice only. Leave empty for no limit."))
    low = forms.CharField(label=_("Meaning of 1"), max_length=100, required=False,
                          help_text=_("Scale only, e.g. “Do not agree at all”."))
    low_en = forms.CharField(label=_("Meaning of 1 in English"), max_length=100, required=False)
    high = forms.CharField(label=_("Meaning of 5"), max_length=100, required=False,
                           help_text=_("Scale only, e.g. “Agree completely”."))
    high_en = forms.CharField(label=_("Meaning of 5 in English"), max_length=100, required=False)
    min = forms.DecimalField(label=_("Lowest number"), required=False, help_text=_("Number only."))
    max = forms.DecimalField(label=_("Highest number"), required=False)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    max_length = forms.IntegerField(label=_("Longest answer (characters)"), required=False, min_value=1,
                                    max_value=10000, help_text=_("Free text only."))
    geometries = forms.MultipleChoiceField(label=_("Respondents may mark"), required=False,
                                           choices=[(g, GEOMETRY_LABELS[g]) for g in GEOMETRIES],
                                           widget=forms.CheckboxSelectMultiple, help_text=_("Map only."))
    ask_time = forms.BooleanField(label=_("Ask when: day, evening or night"), required=False,
                                  help_text=_("Map only."))
    categories_text = forms.CharField(
        label=_("Map categories"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Map only. One category per line: value | Swedish label | English label, e.g. "
                    "“unsafe | Otrygg | Unsafe”. The value “unsafe” marks a problem place in the current-state "
                    "analysis."))

    CONFIG_FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {
        Question.Kind.MULTIPLE: ("max_choices",),
        Question.Kind.SCALE: ("low", "low_en", "high", "high_en"),
        Question.Kind.NUMBER: ("min", "max", "unit"),
        Question.Kind.TEXT: ("max_length",),
        Question.Kind.MAP: ("geometries", "ask_time", "categories_text"),
    }

    def __init__(self, *args, pages: int = 1, question: Question | None = None, frozen: bool = False,
                 protected: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["page"].choices = [(n, str(n)) for n in range(1, pages + 1)] + [
            (pages + 1, _("A new page %(n)s") % {"n": pages + 1})]
        if question is not None:
            del self.fields["options_text"]  # options are edited one by one on the builder page
        if frozen or protected:
            # The survey has responses, or this is the indicator question: the structure stays (the
            # service refuses it too).
            for name in ("kind", "key"):
                self.fields[name].disabled = True
                self.fields[name].help_text = (
                    _("Cannot change: the survey has responses.") if frozen
                    else _("Cannot change: the question is compared with the national safety indicator."))

    def changes(self) -> dict:
        """values() without the fields the form shows disabled."""
        return {name: value for name, value in self.values().items()
                if name not in self.fields or not self.fields[name].disabled}

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        initial = {name: getattr(question, name) for name in
                   ("text", "text_en", "kind", "help_text", "help_text_en", "required", "page", "key")}
        config = question.config or {}
        for name in ("max_choices", "low", "low_en", "high", "high_en", "min", "max", "unit", "max_length",
                     "geometries"):
            if name in config:
                initial[name] = config[name]
        initial["ask_time"] = bool(config.get("ask_time", question.kind == Question.Kind.MAP))
        initial["categories_text"] = "\n".join(
            " | ".join([c.get("value", ""), c.get("label", ""), c.get("label_en", "")])
            for c in config.get("categories", []))
        return initial

    def clean_categories_text(self) -> list[dict]:
        categories, seen = [], set()
        for line in (self.cleaned_data.get("categories_text") or "").splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")] + ["", ""]
            value, label, label_en = parts[0], parts[1], parts[2]
            if not label:  # "Otrygg" alone: the value is made from it
                value, label = "", value
            value = value or slugify(label).replace("-", "_")
            if not value or value in seen:
                raise forms.ValidationError(_("Each category needs its own value and a label: “%(line)s”.")
                                            % {"line": line.strip()})
            seen.add(value)
            categories.append({"value": value, "label": label, "label_en": label_en})
        return categories

    def config(self) -> dict | None:
        """The type's settings from the form; the map categories are kept from the question. None when
        the form did not show them (the builder's short add form): the type's defaults apply."""
        if not self.data.get("config_shown"):
            return None
        data = self.cleaned_data
        kind = data["kind"]
        config = {name: data.get(name) for name in self.CONFIG_FIELDS.get(kind, ())}
        for name in ("min", "max"):
            if config.get(name) is not None:
                config[name] = float(config[name])
        if kind == Question.Kind.MAP:
            config["categories"] = config.pop("categories_text", None) or []
            existing = (self.question.config or {}) if self.question is not None else {}
            if existing.get("max_features"):
                config["max_features"] = existing["max_features"]
        return config

    def options(self) -> list[tuple[str, str]]:
        lines = (self.cleaned_data.get("options_text") or "").splitlines()
        pairs = []
        for line in lines:
            label, _bar, label_en = line.partition("|")
            if label.strip():
                pairs.append((label.strip(), label_en.strip()))
        return pairs

    def values(self) -> dict:
        """The question fields for question_add / question_update (key only when given)."""
        data = self.cleaned_data
        values = {name: data[name] for name in ("text", "text_en", "kind", "help_text", "help_text_en", "required",
                                                "page")}
        if data.get("key"):
            values["key"] = data["key"]
        config = self.config()
        if config is not None:
            values["config"] = config
        return values


class OptionForm(forms.Form):
    label = forms.CharField(label=_("Answer option"), max_length=300)
    label_en = forms.CharField(label=_("Answer option in English"), max_length=300, required=False)
    value = forms.SlugField(label=_("Value"), max_length=60, required=False,
                            help_text=_("Names the option in exports and display conditions. Leave empty to make "
                                        "one from the option."))
    is_missing = forms.BooleanField(label=_("Counts as “don't know” (left out of shares)"), required=False)

    def __init__(self, *args, frozen: bool = False, protected: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if frozen:
            self.fields["value"].disabled = True
            self.fields["value"].help_text = _("Cannot change: the survey has responses.")
        if protected:
            for name in ("value", "is_missing"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Cannot change: the question is compared with the national "
                                                "safety indicator.")

    def values(self) -> dict:
        """The option fields for option_add / option_update, without those the form shows disabled."""
        data = self.cleaned_data
        values = {"label": data["label"], "label_en": data["label_en"], "is_missing": data["is_missing"]}
        if data.get("value"):
            values["value"] = data["value"]
        return {name: value for name, value in values.items() if not self.fields[name].disabled}


class ConditionForm(forms.Form):
    """Show the question only when an earlier choice question got one of the ticked answers. The
    answers of all earlier questions are offered at once (value "<question id>:<option value>"), so
    the form needs no second step and works without JavaScript."""

    answers = forms.MultipleChoiceField(label=_("Show the question only when the answer is"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates: list[Question] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.groups = []
        choices = []
        for question in self.candidates:
            group = [(f"{question.pk}:{o.value}", o.label) for o in question.options.all()]
            self.groups.append((question, group))
            choices += group
        self.fields["answers"].choices = choices

    def clean_answers(self):
        chosen = self.cleaned_data["answers"]
        question_ids = {value.split(":", 1)[0] for value in chosen}
        if len(question_ids) > 1:
            raise forms.ValidationError(_("Choose answers of one question only."))
        return chosen

    def condition(self) -> tuple[Question | None, list[str]]:
        chosen = self.cleaned_data["answers"]
        if not chosen:
            return None, []
        question_id = int(chosen[0].split(":", 1)[0])
        question = next(q for q in self.candidates if q.pk == question_id)
        return question, [value.split(":", 1)[1] for value in chosen]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=MOVE_CHOICES)
