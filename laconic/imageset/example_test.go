package imageset_test

import (
	"fmt"
	"strings"

	"github.com/laconiclab/toolkit/laconic/imageset"
)

// The split is a function of the photo's SHA-256 alone.
func ExampleSplitOf() {
	fmt.Println(imageset.SplitOf("0f3a"), imageset.SplitOf("c4d2"))
	// Output: heldout search
}

func ExampleParseCredits() {
	readme := "Copyright: Daniel Schwen\nLicense: CC-BY-SA 4.0\nSource: https://commons.wikimedia.org/wiki/File:Chichen_Itza_3.jpg\nFiles:\nwonders/chichenItza.webp\n"
	for _, c := range imageset.ParseCredits([]byte(readme)) {
		fmt.Println(c.Files, c.Licence, c.Author)
	}
	// Output: [wonders/chichenItza.webp] CC-BY-SA 4.0 Daniel Schwen
}

func ExampleParseList() {
	list := "file\tsha256\twidth\theight\tlicence\tauthor\tsource_url\tpackage\torigin\n" +
		"bee.webp\t2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\t640\t480\tCC-BY-2.0\taussiegall\thttps://commons.wikimedia.org/wiki/File:Pollinationn.jpg\tgcompris-qt-data 3.1-2\tusr/share/gcompris-qt/rcc/erase.rcc!gcompris/src/activities/erase/resource/bee.webp\n"
	images, err := imageset.ParseList(strings.NewReader(list))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, im := range images {
		fmt.Println(im.File, im.Width, im.Height, im.Licence, im.Split())
	}
	// Output: bee.webp 640 480 CC-BY-2.0 heldout
}
