using System.Text;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class TextDecoderTests
{
    private const string Sample = "一、上半年主要工作\n（一）党的高质量建设效果凸显\n发展党员X名，捐款率达X%。";

    [Fact]
    public void Utf8_with_and_without_a_byte_order_mark_reads_the_same()
    {
        var plain = Encoding.UTF8.GetBytes(Sample);
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. plain];

        Assert.Equal((Sample, "utf-8"), TextDecoder.Decode(plain));
        Assert.Equal((Sample, "utf-8-bom"), TextDecoder.Decode(withBom));
    }

    [Fact]
    public void A_gb18030_file_is_recognised_and_read()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding("GB18030").GetBytes(Sample);

        var (text, encoding) = TextDecoder.Decode(bytes);

        Assert.Equal("gb18030", encoding);
        Assert.Equal(Sample, text);
    }

    [Fact]
    public void Utf16_with_a_byte_order_mark_is_read()
    {
        byte[] bytes = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Sample)];

        Assert.Equal((Sample, "utf-16le"), TextDecoder.Decode(bytes));
    }

    [Fact]
    public void Broken_utf8_behind_a_utf8_mark_is_rejected_with_a_reason()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, 0xE4, 0xB8];

        var ex = Assert.Throws<DocumentRejectedException>(() => TextDecoder.Decode(bytes));

        Assert.Equal("bad-encoding", ex.Code);
    }
}
