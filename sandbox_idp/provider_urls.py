"""The provider's endpoints, in django-oauth-toolkit's namespace (its discovery document reverses these names)."""

from django.urls import path, re_path
from oauth2_provider import views as dot

from . import views

urlpatterns = [
    path("authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("token/", dot.TokenView.as_view(), name="token"),
    path("userinfo/", dot.UserInfoView.as_view(), name="user-info"),
    path(".well-known/jwks.json", views.jwks, name="jwks-info"),
    path("logout/", views.EndSessionView.as_view(), name="rp-initiated-logout"),
    re_path(r"^\.well-known/openid-configuration$", dot.ConnectDiscoveryInfoView.as_view(),
            name="oidc-connect-discovery-info"),
]
