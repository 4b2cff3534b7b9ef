"""Survey tests run their Celery tasks in-process (invitations are sent by a task after commit), also
under CI where REDIS_URL points at a broker no worker of theirs listens on."""
import pytest


@pytest.fixture(autouse=True)
def _eager(eager_tasks):
    yield
