"""Root of the test suite: fixtures shared across apps that live in an app's test package."""

pytest_plugins = ["motcua.documents.tests.fixtures"]
