"""The benchmarks' ping, mounted at /bench/ when BENCH_ENDPOINTS is on (bench/harness.py turns it on)."""

from django.urls import path

from . import views

urlpatterns = [
    path("ping/", views.ping, name="bench_ping"),
]
