"""factory_boy factories of the models every test needs."""

import factory
from django.contrib.auth import get_user_model

from poolconsole.tenants.models import Membership, Role, Tenant

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tenant {n}")
    slug = factory.Sequence(lambda n: f"tenant-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    tenant = factory.SubFactory(TenantFactory)
    role = Role.VIEWER


def tenant_opened(client, tenant) -> None:
    """Make the client's session one that has opened tenant already.

    The first page of a tenant in a session notes it (``membership_opened``:
    an UPDATE and a session save); tests counting a page's own queries
    start after that.
    """
    from poolconsole.tenants.services import OPENED_TENANT_SESSION_KEY

    session = client.session
    session[OPENED_TENANT_SESSION_KEY] = tenant.pk
    session.save()
