"""The platform's one audit trail: append-only, HMAC-SM3 chained (GB/T 22239-2019 安全审计)."""
