package workspace

// FillPNGSlots takes every slot for drawing PNGs, as downloads under way
// would, until release is called.
func (s *Service) FillPNGSlots() (release func()) {
	for range cap(s.raster) {
		s.raster <- struct{}{}
	}
	return func() {
		for range cap(s.raster) {
			<-s.raster
		}
	}
}
