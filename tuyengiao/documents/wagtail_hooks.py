from wagtail import hooks

from tuyengiao.documents.admin_views import DocumentsGroup


@hooks.register("register_admin_viewset")
def register_documents_viewsets():
    return DocumentsGroup()
