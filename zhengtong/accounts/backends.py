"""The lockout check of django-axes in the authentication chain."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses logins for a locked account or address; authenticates nobody itself.

    Axes needs the request to know the address. Every login through the web (Django's and Wagtail's login
    forms) passes it; code that calls ``authenticate()`` without one (the test client's ``login()``,
    scripts on the server) is not a network login and is let through to the next backend, which checks
    the password as usual.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
