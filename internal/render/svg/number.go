package svg

import (
	"math"
	"strconv"
)

// num formats a coordinate with at most two decimals, as appendNum does.
func num(v float64) string {
	var buf [24]byte
	return string(appendNum(buf[:0], v))
}

// fastHundredths bounds the values appendNum formats itself, in hundredths.
// Below it (values under 1e13) float64 values lie closer together than
// 0.01, so the shortest decimal that reads back as a value rounded to
// hundredths is that number of hundredths written out: integer arithmetic
// gives it much faster than strconv's general algorithm.
const fastHundredths = 1e15

// appendNum appends v with at most two decimals. Rounding first keeps the
// output byte-stable across platforms and free of float noise such as
// 0.30000000000000004; "-0" and non-finite values would be rejected or
// misread by some SVG consumers, so they become "0". The text is exactly
// that of strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64).
func appendNum(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, '0')
	}
	hundredths := math.Round(v * 100)
	if hundredths == 0 { // also turns -0 into 0
		return append(b, '0')
	}
	if math.Abs(hundredths) >= fastHundredths { // huge, or v*100 overflowed
		return strconv.AppendFloat(b, hundredths/100, 'f', -1, 64)
	}
	// The digits are written from the right into digits[i:].
	var digits [24]byte
	i := len(digits)
	u := uint64(math.Abs(hundredths))
	whole, frac := u/100, u%100
	if frac != 0 {
		if frac%10 != 0 {
			i--
			digits[i] = byte('0' + frac%10)
		}
		i -= 2
		digits[i], digits[i+1] = '.', byte('0'+frac/10)
	}
	for {
		i--
		digits[i] = byte('0' + whole%10)
		whole /= 10
		if whole == 0 {
			break
		}
	}
	if hundredths < 0 {
		i--
		digits[i] = '-'
	}
	return append(b, digits[i:]...)
}
