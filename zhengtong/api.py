"""The platform's public API, version 1. Each app adds its router here."""

from ninja import NinjaAPI

from zhengtong.casework.api import router as case_router
from zhengtong.disclosure_requests.api import router as disclosure_router
from zhengtong.interaction.api import router as interaction_router
from zhengtong.search.api import router as search_router

api = NinjaAPI(
    title="政通 API",
    version="1",
    urls_namespace="api-v1",
    docs_url=None,  # the interactive docs load scripts from a CDN; the OpenAPI document is enough
)
api.add_router("/", search_router)
api.add_router("/", case_router)
api.add_router("/", interaction_router)
api.add_router("/", disclosure_router)
