fn main() {
    eprintln!("fake-ats: not built yet");
    std::process::exit(2);
}
