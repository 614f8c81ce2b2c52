//! The unit's place in the hierarchy 财政局 → 主管部门 → 单位: optional in unit.toml and in the workbook.

use jixiao_import::unit::parse_unit_toml;

const BASE: &str = "code = \"U1\"\nname = \"单位\"\nregion_code = \"430102\"\nparent_department = \"区教育局\"\n";

#[test]
fn hierarchy_fields_are_optional_and_blank_is_absent() {
    let (u, _) = parse_unit_toml(BASE).unwrap();
    assert_eq!((u.department_code, u.bureau_code, u.bureau_name), (None, None, None));
    let (u, _) = parse_unit_toml(&format!("{BASE}department_code = \"D01\"\nbureau_code = \" CZ \"\nbureau_name = \"\"\n")).unwrap();
    assert_eq!((u.department_code.as_deref(), u.bureau_code.as_deref(), u.bureau_name), (Some("D01"), Some("CZ"), None));
}

#[test]
fn the_workbook_carries_the_hierarchy_both_ways() {
    let (mut u, years) = parse_unit_toml(&format!(
        "{BASE}department_code = \"D01\"\nbureau_code = \"CZ\"\nbureau_name = \"某区财政局\"\n[[years]]\nyear = 2020\n"
    ))
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("u.xlsx");
    jixiao_import::template::write_workbook(&path, Some((&u, &years)), &Default::default(), 2020).unwrap();
    let read = jixiao_import::read(&path).unwrap();
    assert_eq!(read.unit, u);
    u.department_code = None;
    u.bureau_code = None;
    u.bureau_name = None;
    jixiao_import::template::write_workbook(&path, Some((&u, &years)), &Default::default(), 2020).unwrap();
    assert_eq!(jixiao_import::read(&path).unwrap().unit, u, "empty rows read as absent");
}
