"""A tiny CNN that reads a driver-facing camera crop and says whether the seatbelt is fastened, unfastened or hidden:
four strided 3x3 conv blocks (64 -> 4 px), global average pooling, one linear layer, softmax."""
import torch
from torch import nn

LABELS = ["fastened", "unfastened", "obstructed"]
INPUT_W, INPUT_H = 64, 64


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SeatbeltNet(nn.Module):
    def __init__(self, classes=len(LABELS), c=(16, 32, 48, 64)):
        super().__init__()
        self.features = nn.Sequential(conv_bn(3, c[0]), conv_bn(c[0], c[1]), conv_bn(c[1], c[2]), conv_bn(c[2], c[3]))
        self.classifier = nn.Linear(c[3], classes)

    def logits(self, x):
        return self.classifier(self.features(x).mean(dim=(2, 3)))

    def forward(self, x):
        # The exported graph ends in softmax: the playground and the evaluation read probabilities directly.
        return torch.softmax(self.logits(x), dim=1)


def count_params(model):
    return sum(p.numel() for p in model.parameters())
