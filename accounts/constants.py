from django.db import models


class AccountType(models.TextChoices):
    INDIVIDUAL = "individual", "Công dân"
    ORGANISATION = "organisation", "Tổ chức"


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"
