"""URLs of the surveys app, one module per sub-domain; all in the "surveys" namespace.

Coordinator pages live under projekt/<project_id>/enkater/; the respondent's pages under the public
prefix e/ (a token, never a project id, in the URL)."""
from . import builder, distribution, respond, results

app_name = "surveys"

urlpatterns = builder.urlpatterns + distribution.urlpatterns + respond.urlpatterns + results.urlpatterns
