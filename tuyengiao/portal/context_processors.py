def site_menu(request):
    """The categories in the site menu, read lazily (only pages that show the menu query it)."""
    from django.utils.functional import SimpleLazyObject

    from tuyengiao.portal.selectors import info_pages, menu_categories

    return {
        "menu_categories": SimpleLazyObject(lambda: list(menu_categories())),
        "info_pages": SimpleLazyObject(lambda: list(info_pages())),
    }
