"""factory_boy factories of AWS connections, with encrypted secrets."""

import factory

from poolconsole.credentials import crypto
from poolconsole.credentials.models import AuthMode, AwsConnection
from tests.factories import TenantFactory


class AwsConnectionFactory(factory.django.DjangoModelFactory):
    """An access-key connection; pass ``secret_access_key=`` to pick the secret."""

    class Meta:
        model = AwsConnection

    class Params:
        access_key_id = "AKIATESTKEY00001234"
        secret_access_key = "testing-secret"
        session_token = ""

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Connection {n}")
    region = "us-east-1"
    auth_mode = AuthMode.ACCESS_KEYS
    access_key_id_encrypted = factory.LazyAttribute(
        lambda o: crypto.encrypt(o.access_key_id) if o.access_key_id else ""
    )
    access_key_id_last4 = factory.LazyAttribute(lambda o: o.access_key_id[-4:])
    secret_access_key_encrypted = factory.LazyAttribute(
        lambda o: crypto.encrypt(o.secret_access_key) if o.secret_access_key else ""
    )
    session_token_encrypted = factory.LazyAttribute(
        lambda o: crypto.encrypt(o.session_token) if o.session_token else ""
    )


class AssumeRoleConnectionFactory(AwsConnectionFactory):
    """A connection that assumes a role in the tenant's account."""

    class Params:
        access_key_id = ""
        secret_access_key = ""
        session_token = ""

    auth_mode = AuthMode.ASSUME_ROLE
    role_arn = "arn:aws:iam::123456789012:role/poolconsole"
