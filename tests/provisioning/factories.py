"""factory_boy factories of created pools and create attempts."""

import datetime
import uuid

import factory
from django.utils import timezone

from poolconsole.provisioning.models import AttemptStatus, CreateAttempt, UserPool
from tests.credentials.factories import AwsConnectionFactory
from tests.factories import TenantFactory


def _description(pool_id: str, name: str) -> dict:
    return {
        "Id": pool_id,
        "Name": name,
        "Arn": f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool_id}",
        "MfaConfiguration": "OFF",
    }


class UserPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserPool

    tenant = factory.SubFactory(TenantFactory)
    connection = factory.SubFactory(
        AwsConnectionFactory, tenant=factory.SelfAttribute("..tenant")
    )
    pool_id = factory.Sequence(lambda n: f"us-east-1_pool{n:06d}")
    name = factory.Sequence(lambda n: f"pool-{n}")
    arn = factory.LazyAttribute(
        lambda o: f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{o.pool_id}"
    )
    region = "us-east-1"
    status = "Enabled"
    creation_date = factory.Sequence(
        lambda n: timezone.now() - datetime.timedelta(minutes=n)
    )
    last_modified_date = factory.SelfAttribute("creation_date")
    estimated_number_of_users = 0
    mfa_configuration = "OFF"
    schema_attributes = factory.LazyFunction(
        lambda: [
            {"Name": "sub", "AttributeDataType": "String", "Mutable": False},
            {"Name": "custom:tier", "AttributeDataType": "String", "Mutable": True},
        ]
    )
    raw_response = factory.LazyAttribute(lambda o: _description(o.pool_id, o.name))


class CreateAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreateAttempt

    tenant = factory.SubFactory(TenantFactory)
    connection = factory.SubFactory(
        AwsConnectionFactory, tenant=factory.SelfAttribute("..tenant")
    )
    idempotency_key = factory.LazyFunction(uuid.uuid4)
    request = factory.LazyFunction(lambda: {"PoolName": "customers"})
    status = AttemptStatus.FAILED
    error_code = "ThrottlingException"
    error_message = "AWS is throttling requests."
