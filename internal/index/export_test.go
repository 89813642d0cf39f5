package index

// Seq is the change sequence the index reflects, for tests.
func Seq(s *Store) int64 { return s.seq() }
