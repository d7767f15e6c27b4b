"""Zhengtong (政通): e-government platform for Chinese county governments."""
