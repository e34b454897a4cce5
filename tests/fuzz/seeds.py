#!/usr/bin/env python3
"""Writes the seed corpora under tests/fuzz/corpus/<target>/ (security.md I1).

The seeds are committed; this script says how the binary ones were made and makes new ones.
Re-running it overwrites only the files it names (fuzzer finds and crash reproducers added by
hand stay). Usage: python3 tests/fuzz/seeds.py
"""
import io
import pathlib
import zipfile

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"

ID_VALID = "11010519491231002X"  # the standard's own example (security.md 5.1)


def put(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def tiny_xlsx(sheet_xml, extra=None):
    """A minimal workbook: the four parts Excel needs and one sheet."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>身份证号</t></is></c></row>'
         '<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="B2"><v>1.10105194912310E+17</v></c></row>'
         '</sheetData></worksheet>')
XXE = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">'
       '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
       '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
       '<row r="1"><c r="A1" t="inlineStr"><is><t>&x;&b;</t></is></c></row></sheetData></worksheet>')


def csv_seeds():
    t = "csv_fuzz"
    rows = "姓名,身份证号,手机号\r\n张三,11010519491231002X,13800138000\r\n"
    put(t, "utf8_bom_comma.csv", "\ufeff" + rows)
    put(t, "utf16le_bom.csv", b"\xff\xfe" + rows.encode("utf-16-le"))
    put(t, "utf16le_no_bom.csv", rows.encode("utf-16-le"))
    put(t, "gbk_excel.csv", rows.encode("gbk"))
    put(t, "gb18030_4byte.csv", "姓名,备注\r\n张三,€𠀀\r\n".encode("gb18030"))
    put(t, "utf8_fullwidth_comma.csv", "姓名，身份证号\n李四，11010519491231002X\n")
    put(t, "quoted_multiline.csv", 'a,b\n"x\r\ny","he said ""hi"""\n  "z" ,w\n')
    put(t, "broken_quoting.csv", 'a,b\n"open,1\n2,"shut"x\n3,q"q\n')
    put(t, "excel_scientific_id.csv", "姓名,身份证号\n王五,1.10105E+17\n赵六,110105194912310000\n")
    put(t, "formula_cells.csv", "a,b\n=1+2,@SUM(A1)\n-3,+4\n")
    put(t, "blank_and_ragged.csv", "\n\na,b,c\n\n1\n1,2,3,4\n\n")
    put(t, "damaged_utf8.csv", "姓名,身份证号\n张三李四王五,".encode() + b"\xff\n")
    # An .xlsx (or a zip bomb) sent where a CSV is expected: the reader must say it is not text.
    put(t, "xlsx_uploaded.xlsx", tiny_xlsx(SHEET))
    put(t, "zip_bomb.zip", tiny_xlsx(SHEET, {"xl/media/zeros.bin": b"\0" * (1 << 20)}))
    put(t, "xxe_sheet.xml", XXE)


def id_seeds():
    t = "id_number_fuzz"
    vectors = {
        "id_lower_x": "11010519491231002x",
        "id_bad_check": "110105194912310021",
        "id_swapped_digits": "11010519492131002X",
        "id_month13": "110105194913320019",
        "id_future": "110105209912310010",
        "id_province99": "990105194912310015",
        "id_000_tail": "110105194912310000",
        "id_spaces_dashes": " 110105-19491231-002X\u3000",
        "id_zero_width": "1101051949\u200b1231002X",
        "id_hk_permit": "810000199001010011",
        "phone_plain": "13800138000",
        "phone_0086": "0086 13912345678",
        "phone_86": "8615012345678",
        "phone_fullwidth": "１３８００１３８０００",
        "phone_unknown_segment": "14012345678",
        "phone_landline": "010-12345678-123",
        "date_leap": "2024-02-29",
        "date_not_leap": "2023-02-29",
        "time_z": "2022-04-30T00:15:00Z",
        "time_hhmm_offset": "2022-04-30 08:15+0800",
        "time_hh_offset": "2022-04-30T08:15:59-05",
        "time_nanos": "2022-04-30T08:15:00.123456789+08:00",
        "time_negative_unix": "-1",
        "time_far": "2262-04-12T00:00:00Z",
    }
    for name, value in vectors.items():
        put(t, name, value)


def json_seeds():
    t = "json_fuzz"
    put(t, "person.json", '{"id_number":"%s","name":"张三","version":3,"tags":["a","b"],'
        '"phone":"+86 138-0013-8000","address":"幸福路15号","region":"440106"}' % ID_VALID)
    put(t, "person_passport.json", '{"id_type":"passport","id_number":"E12345678","name":"Ann",'
        '"sex":"F","birth_date":"1990-01-31","household_id":1}')
    put(t, "person_mismatch.json", '{"id_number":"%s","sex":"M","birth_date":"1950-01-01"}' % ID_VALID)
    put(t, "rows.json", '{"id_number":"x","rows":[{"id_number":"%s","temperature":37.2},'
        '{"name":"李四","bogus":1},7]}' % ID_VALID)
    put(t, "deep_ok.json", '{"rows":' + "[" * 6 + "]" * 6 + "}")
    put(t, "deep_too.json", '{"a":' + "[" * 40 + "]" * 40 + "}")
    put(t, "brackets_in_strings.json", '{"name":"[[[[{{{{\\"]]]]","id_number":"}"}')
    put(t, "huge_numbers.json", '{"version":18446744073709551616,"household_id":-9223372036854775809,'
        '"temperature":1e999,"id_number":"1"}')
    put(t, "int_edges.json", '{"household_id":9223372036854775807,"version":-0,"temperature":-1e-400}')
    put(t, "bad_utf8.json", b'{"name":"\xe5\xbc","id_number":"\xff"}')
    put(t, "escapes.json", '{"name":"\\ud83d\\ude00\\u0000","id_number":"\\ud800"}')
    put(t, "wrong_types.json", '{"id_number":11010519491231002,"version":"3","tags":"a","rows":{}}')
    put(t, "not_object.json", '["id_number"]')
    put(t, "bom.json", '\ufeff{"id_number":"1"}')
    put(t, "long_unknown_key.json", '{"id_number":"1","' + "键" * 40 + '":null}')
    put(t, "duplicate_keys.json", '{"id_number":"1","id_number":"2"}')


def query_seeds():
    t = "query_fuzz"
    targets = {
        "list": "/api/v1/people?q=%s&limit=20&after=1/2/3,45&incomplete=true" % ID_VALID,
        "encoded_id": "/api/v1/people/%31%32",
        "leading_zero_id": "/api/v1/people/007/timeline",
        "encoded_slash": "/api/v1/regions/4401%2F06",
        "name_search": "/api/v1/people?q=%E5%BC%A0%E4%B8%89",
        "phone_search": "/api/v1/people?q=%2B86+138-0013-8000",
        "address_search": "/api/v1/people?q=幸福路15号",
        "nested_params": "/api/v1/cases/1/investigation/2?limit=500&after=",
        "bad_escapes": "/api/v1/venues/%zz%4?q=%&limit=%31%30",
        "bad_params": "/api/v1/people?limit=-1&incomplete=maybe&after=,&limit=2",
        "cursor_overflow": "/api/v1/people?after=1/2,99999999999999999999",
        "plus_key": "/api/v1/people?a+b=1&q+=x&q=++",
        "control_chars": "/api/v1/people?q=%00%0a%1b",
        "root": "/",
    }
    for name, value in targets.items():
        put(t, name, value)


def lead_seeds():
    t = "lead_import_fuzz"
    header = "姓名,身份证号,手机号,现住址,来源地,人员类别,报告时间,备注\r\n"
    rows = ("张三,%s,13800138000,幸福路15号3栋2单元101室,上海,密接,2024-05-30,\r\n"
            "李四,,+86 139-1234-5678,和平街8号,北京,次密接,2024-05-31 08:15,夜班\r\n"
            "王五,1.10105E+17,,,,,,\r\n"
            "赵六,１１０１０５１９４９１２３１００２ｘ,,,,高风险区来返,2099-01-01,\r\n"
            ",,,,,,,\r\n" % ID_VALID)
    put(t, "leads_utf8.csv", header + rows)
    put(t, "leads_gbk.csv", (header + rows).encode("gbk"))
    put(t, "leads_utf16le.csv", b"\xff\xfe" + (header + rows).encode("utf-16-le"))
    put(t, "leads_english.csv",
        "name,id_number,phone,address,origin,category,reported_at,id_type,sex,birth_date\n"
        "Ann,E12345678,13800138000,1 Road,HK,inbound,2024-05-01T10:00:00+08:00,passport,F,1990-01-31\n"
        "Bob,,13800138001,,,,,other,male,2030-01-01\n"
        "Cy,%s,,,,confirmed,,resident_id,男,1949-12-31\n" % ID_VALID)
    put(t, "leads_minor.csv", "姓名,身份证号,监护人,监护人电话\n小明,110105201501010011,张三,13800138000\n")
    put(t, "leads_no_id_column.csv", "姓名,地址\n张三,幸福路\n")
    put(t, "leads_duplicate_column.csv", "身份证号,身份证号码\n%s,%s\n" % (ID_VALID, ID_VALID))
    put(t, "leads_ragged.csv", "姓名,手机号\n张三\n李四,13800138000,多余\n")


def checkin_seeds():
    t = "checkin_fuzz"
    put(t, "valid.ndjson",
        '{"id_number":"%s","venue_code":"V-0001","time":"2024-05-31T08:15:00+08:00"}\n'
        '{"id_number":"%s","venue_code":"mall_2","time":1717114500}\r\n' % (ID_VALID, ID_VALID))
    put(t, "mixed.ndjson",
        '\n  \t\n{"id_number":"1","venue_code":"v","time":"x"}\n[1,2]\n{"venue_code":"v"}\n'
        'not json\n{"id_number":11010519491231002,"venue_code":"v","time":18446744073709551615}\n')
    put(t, "nulls_and_types.ndjson",
        '{"id_number":null,"venue_code":"v","time":"1"}\n{"id_number":"1","venue_code":7,"time":1.5}\n'
        '{"id_number":"\\u0031\\u0031","venue_code":"v","time":"2024-02-30"}\n')
    put(t, "no_final_newline.ndjson", '{"id_number":"%s","venue_code":"V","time":"-62135596800"}' % ID_VALID)


if __name__ == "__main__":
    csv_seeds()
    id_seeds()
    json_seeds()
    query_seeds()
    lead_seeds()
    checkin_seeds()
