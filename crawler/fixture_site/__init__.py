"""The local fixture site: a generated Bitrix-family news archive served over HTTP."""
