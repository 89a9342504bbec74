"""Reconciliation with the paper registers (đối chiếu sổ sách giấy): counts entered from the unit's
paper books, compared with the system's own counts, with the dossiers to check against the book.

NĐ 61/2018/NĐ-CP and TT 01/2018/TT-VPCP keep the one-stop registers (sổ theo dõi hồ sơ, mẫu 06); the
province's instruction (seed 000) requires "số lượng hồ sơ trên phần mềm phải khớp với số lượng trên sổ
sách" — the reception book, the civil-status book, the labour book… (docs/indicators.md, "Đối chiếu sổ
sách giấy")."""
