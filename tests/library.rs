//! The library as a page would use it: an export given as bytes, the
//! responses spooled in memory, every output written to memory. The bytes
//! are the ones the command writes to files for the same input.

mod common;
use common::*;

#[test]
fn outputs_written_to_memory_are_the_commands_files() {
    let input = fixture("v2/responses-fy2025.csv");
    let dir = tempfile::tempdir().unwrap();
    let (workbook, csv_dir, up) = (
        dir.path().join("report.xlsx"),
        dir.path().join("csv"),
        dir.path().join("up"),
    );
    let out = hisp(&[
        "report",
        "-q",
        &input,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "-o",
        workbook.to_str().unwrap(),
        "--csv",
        csv_dir.to_str().unwrap(),
        "--upload-dir",
        up.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    // The same file by its bytes, under the name the command reported it
    // by: its path as given.
    let bytes = std::fs::read(&input).unwrap();
    let name = input.clone();
    let options = hisp::Options {
        inputs: vec![hisp::Input::Bytes {
            name,
            bytes: bytes.into(),
        }],
        quarter: hisp::Quarter::new(2025, 2),
        submission: true,
        compare_previous: true,
        keep: 100,
        ..hisp::Options::default()
    };
    let run = hisp::run(&options, Some(hisp::Spooling::InMemory), None).unwrap();

    let mut table = Vec::new();
    let what = run.write_main_table(&mut table).unwrap();
    assert_eq!(what, "collection-details");
    let from_file = std::fs::read(csv_dir.join(format!("report-{what}.csv"))).unwrap();
    assert_eq!(
        String::from_utf8(table).unwrap(),
        String::from_utf8(from_file).unwrap()
    );

    let names = run.upload_names().expect("A-11 v2 has upload files");
    let mut on_disk: Vec<String> = std::fs::read_dir(&up)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, on_disk);
    for name in &names {
        let mut bytes = Vec::new();
        run.write_upload(name, &mut bytes).unwrap();
        assert_eq!(bytes, std::fs::read(up.join(name)).unwrap(), "{name}");
    }
    assert!(run.write_upload("no-such.csv", &mut Vec::new()).is_err());

    let mut memory = std::io::Cursor::new(Vec::new());
    run.write_workbook(false, true, &mut memory).unwrap();
    // Compared as a whole; a difference is not printed byte by byte.
    let same = memory.into_inner() == std::fs::read(&workbook).unwrap();
    assert!(
        same,
        "the workbook written to memory differs from the command's"
    );
}
