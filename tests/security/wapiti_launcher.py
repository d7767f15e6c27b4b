"""Start Debian's wapiti (run with /usr/bin/python3, which has wapitiCore) with response streaming off.

wapiti 3.0.4 asks requests for streamed responses and does not always read them to the end; on this machine
it then waited for ever for an answer the server had already given up on (seen with granian and with Django's
runserver alike), and the scan never finished. Reading every response whole costs nothing at these sizes.
"""

import sys

import requests

_request = requests.Session.request


def _request_whole(self, *args, **kwargs):
    kwargs["stream"] = False
    return _request(self, *args, **kwargs)


requests.Session.request = _request_whole

from wapitiCore.main.wapiti import wapiti_main  # noqa: E402 - after the patch above

if __name__ == "__main__":
    sys.argv[0] = "wapiti"
    sys.exit(wapiti_main())
