"""Personal data protection: the one mechanism every module uses for the public's personal data.

GB/T 39786-2021 (confidentiality at rest with SM4) and DOMAIN.md §6. Modules use:

- ``fields.PersonalDataField`` / ``fields.BlindIndexField`` / ``fields.personal_lookup`` on their models,
- ``masking.mask`` and the ``privacy`` template library wherever a value is shown,
- ``services.reveal`` to show a full value to someone with ``zt_privacy.view_full_personal_data`` (audited),
- ``validators`` / ``forms`` for resident ID numbers, unified social credit codes and mobile numbers.
"""
