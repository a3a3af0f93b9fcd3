from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def profile(request):
    """Trang cá nhân."""
    return render(request, "accounts/profile.html")
