package workspace

// FillPNGSlots takes every slot for drawing PNGs and PDF documents, as downloads under way
// would, until release is called.
func (s *Service) FillPNGSlots() (release func()) {
	for range cap(s.heavy) {
		s.heavy <- struct{}{}
	}
	return func() {
		for range cap(s.heavy) {
			<-s.heavy
		}
	}
}
