import factory
from django.contrib.auth import get_user_model

from tuyengiao.accounts.services import role_grant

PASSWORD = "mật-khẩu-thử-nghiệm"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    last_name = "Nguyễn Văn"
    first_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """roles=[("editor", unit), ...] grants those roles."""
        self.save()
        for role, unit in extracted or ():
            role_grant(user=self, role=role, unit=unit)
