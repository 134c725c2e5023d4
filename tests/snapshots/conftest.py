from tests.functional.conftest import world  # noqa: F401  (the same seeded world)
