"""A procedure whose components read as the law does: cases, a condition, papers to show, notes.

Modelled on the national text of "Thủ tục đăng ký khai sinh" (1.001193, Cấp xã, Hộ tịch) in
tthc-national-2026: its uploads differ per case (a foundling, a surrogate birth), the power of attorney is asked
only when someone submits on the parents' behalf, the identity paper is shown at the counter with its number
typed online, and the long notes are guidance, never uploads.
"""

from procedures.constants import Channel, ComponentRole
from procedures.models import RequiredComponent

BIRTH_CODE = "1.001193.000.00.00.H34"
BIRTH_NAME = "Thủ tục đăng ký khai sinh"
CASE_NORMAL = "Trẻ em có Giấy chứng sinh (hoặc giấy tờ thay thế)"
CASE_ABANDONED = "Trường hợp trẻ em bị bỏ rơi"
CASE_SURROGACY = "Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ"
BIRTH_CERTIFICATE = "Giấy chứng sinh"
E_FORM = "Tờ khai đăng ký khai sinh (mẫu hộ tịch điện tử tương tác)"
PAPER_FORM = "Tờ khai đăng ký khai sinh theo mẫu"
ABANDONED_RECORD = "Biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập"
SURROGACY_PAPER = "Văn bản xác nhận của cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản cho việc mang thai hộ"
POWER_OF_ATTORNEY = "Văn bản ủy quyền (được chứng thực)"
POWER_CONDITION = "Trường hợp ủy quyền thực hiện việc đăng ký khai sinh"
IDENTITY_PAPER = (
    "Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước hoặc các giấy tờ khác "
    "có dán ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp, còn giá trị sử dụng (giấy tờ tùy thân) để "
    "chứng minh về nhân thân"
)
RESIDENCE_PAPER = (
    "Giấy tờ có giá trị chứng minh thông tin về cư trú, trong trường hợp cơ quan đăng ký hộ tịch không thể khai "
    "thác được thông tin về nơi cư trú của công dân"
)
NOTES = (
    "Cá nhân có quyền lựa chọn thực hiện thủ tục hành chính về hộ tịch tại cơ quan đăng ký hộ tịch nơi cư trú; nơi "
    "cư trú của cá nhân được xác định theo quy định của pháp luật về cư trú. Trường hợp cá nhân lựa chọn thực hiện "
    "thủ tục hành chính về hộ tịch không phải tại Ủy ban nhân dân cấp xã nơi thường trú hoặc nơi tạm trú thì Ủy ban "
    "nhân dân cấp xã nơi tiếp nhận yêu cầu có trách nhiệm hỗ trợ người dân nộp hồ sơ đăng ký hộ tịch trực tuyến đến "
    "đúng cơ quan có thẩm quyền theo quy định.",
    "Trường hợp người đi đăng ký khai sinh cho trẻ em là ông, bà, người thân thích khác thì không phải có văn bản ủy "
    "quyền của cha, mẹ trẻ em, nhưng phải thống nhất với cha, mẹ trẻ em về các nội dung khai sinh.",
    "Bản chụp các giấy tờ gửi kèm theo hồ sơ đăng ký khai sinh trực tuyến phải bảo đảm rõ nét, đầy đủ, toàn vẹn về "
    "nội dung, là bản chụp bằng máy ảnh, điện thoại hoặc được chụp, được quét bằng thiết bị điện tử, từ giấy tờ được "
    "cấp hợp lệ, còn giá trị sử dụng.",
    "Không đặt tên cho trẻ quá dài, khó sử dụng.",
)


def birth_registration(build, **procedure_options):
    """The birth-registration procedure with its components as the law reads them (see the module's text)."""
    procedure = build.procedure(BIRTH_CODE, components=(), **procedure_options)
    procedure.name = BIRTH_NAME
    procedure.save()
    rows = [
        dict(name=E_FORM, channel=Channel.ONLINE),
        dict(name=PAPER_FORM, channel=Channel.COUNTER),
        dict(name=BIRTH_CERTIFICATE, case=CASE_NORMAL, quantity="1 bản chính",
             description="Trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc "
                         "sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh."),
        dict(name=ABANDONED_RECORD, case=CASE_ABANDONED, quantity="1 bản chính"),
        dict(name=SURROGACY_PAPER, case=CASE_SURROGACY, quantity="1 bản chính"),
        dict(name=BIRTH_CERTIFICATE, case=CASE_SURROGACY, quantity="1 bản chính"),
        dict(name=POWER_OF_ATTORNEY, condition=POWER_CONDITION, quantity="1 bản chính",
             description="Trường hợp người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột của "
                         "người ủy quyền thì văn bản ủy quyền không phải chứng thực."),
        dict(name=IDENTITY_PAPER, role=ComponentRole.SHOW, asks_number=True),
        dict(name=RESIDENCE_PAPER, role=ComponentRole.SHOW, is_required=False),
        *[dict(name=note, role=ComponentRole.NOTE, quantity="0 bản chính") for note in NOTES],
    ]
    for position, row in enumerate(rows):
        RequiredComponent.objects.create(procedure=procedure, position=position, **row)
    return procedure


def component(procedure, name, case=None):
    """One component of the procedure by its name (and case, when the name is in several)."""
    components = procedure.components.filter(name=name)
    return components.get(case=case) if case is not None else components.get()
