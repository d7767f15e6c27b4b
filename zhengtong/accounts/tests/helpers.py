from django.contrib.auth.models import Group

from zhengtong.core.models import User
from zhengtong.portal.testing import TEST_PASSWORD


def staff(username: str, *group_names: str, password: str = TEST_PASSWORD, **fields) -> User:
    user = User.objects.create_user(username=username, password=password, **fields)
    for name in group_names:
        user.groups.add(Group.objects.get(name=name))
    return user


def admin_login(client, username: str, password: str = TEST_PASSWORD, **extra):
    """Log in through the Wagtail login form, as a browser does (axes sees the request)."""
    from django.urls import reverse

    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": password}, **extra)


def login(client, user) -> None:
    """Log ``user`` in on the test client as a finished login would: with the second factor passed when the
    two-factor app (zhengtong.twofactor, developed beside this one) is installed, else plain ``force_login``."""
    try:
        from zhengtong.twofactor.testing import login_verified
    except ImportError:
        client.force_login(user)
    else:
        login_verified(client, user)
