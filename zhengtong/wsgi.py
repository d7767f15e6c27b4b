import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtong.settings")
django_application = get_wsgi_application()

from zhengtong.core.pagecache import PageCacheApplication  # noqa: E402 - needs the apps loaded above

# Cached public pages are answered before Django builds a request (see zhengtong.core.pagecache).
application = PageCacheApplication(django_application)
