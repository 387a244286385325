from comptoir.core.sku_lines import SkuLine, parse_sku_lines


def test_every_separator_people_paste_is_understood():
    text = "SCR-100 24\nGLV-200\t12\nBLT-1,6\nTAP-9; 3\n\n   \nPLG-7"

    assert parse_sku_lines(text) == [
        SkuLine(1, "SCR-100", 24),
        SkuLine(2, "GLV-200", 12),
        SkuLine(3, "BLT-1", 6),
        SkuLine(4, "TAP-9", 3),
        SkuLine(7, "PLG-7", 1),
    ]


def test_bad_quantities_are_reported_on_their_line():
    lines = parse_sku_lines("A 0\nB -3\nC 1.5\nD 1000001\nE 2 3")

    assert [(line.line, line.quantity) for line in lines] == [
        (1, None),
        (2, None),
        (3, None),
        (4, None),
        (5, None),
    ]
    assert all(line.error for line in lines)
    assert "SKU and a quantity" in lines[4].error
